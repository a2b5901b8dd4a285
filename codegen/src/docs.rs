//! Converts botocore documentation HTML to rustdoc Markdown.

/// Placeholder.
pub fn html_to_markdown(html: &str) -> String {
    html.to_owned()
}
