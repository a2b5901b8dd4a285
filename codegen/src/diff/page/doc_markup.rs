//! Model documentation (a loose subset of HTML) in the two forms a change page needs: boto3's
//! reStructuredText for the text page, and HTML restricted to a few harmless tags for the HTML
//! page.
//!
//! The reStructuredText follows `bcdoc`'s `ReSTStyle` closely (paragraphs, `* ` items,
//! ``` ``code`` ```, `**b**`, `*i*`, `` `text <url>`__ ``, `.. note::`), not byte for byte:
//! whitespace inside the prose may differ from boto3's pages.

use html_escape::{decode_html_entities, encode_double_quoted_attribute, encode_text};

use super::section::{Id, Sections};
use crate::docs::{Token, Tokenizer};

/// Writes `html` into a section as boto3 would (`include_doc_string`).
pub(super) fn write_rst(doc: &mut Sections, id: Id, html: &str) {
    let base = doc.spaces(id).len() / 2;
    let mut writer = RstWriter {
        out: String::new(),
        indent: base,
        in_paragraph: true,
        list_depth: 0,
        link: None,
        code: 0,
        hidden: 0,
        inline_start: false,
        space_after_code: false,
    };
    for token in Tokenizer::new(html) {
        writer.token(token);
    }
    doc.write(id, &writer.out);
}

struct RstWriter {
    out: String,
    indent: usize,
    /// `<p>` starts and ends a paragraph, except inside a list item (bcdoc's `do_p`).
    in_paragraph: bool,
    list_depth: usize,
    /// The text of an open `<a href>`, and its target.
    link: Option<(String, String)>,
    /// Open `<code>` elements; markup inside code is dropped, as bcdoc does.
    code: usize,
    /// Open `<examples>` or `<fullname>` elements, whose text boto3 leaves out.
    hidden: usize,
    /// Inline markup was just opened: its text starts without a space.
    inline_start: bool,
    /// Code just closed ended with a space, owed to what follows.
    space_after_code: bool,
}

impl RstWriter {
    fn spaces(&self) -> String {
        " ".repeat(self.indent * 2)
    }

    fn new_paragraph(&mut self) {
        let spaces = self.spaces();
        self.out.push_str(&format!("\n\n{spaces}"));
    }

    fn new_line(&mut self) {
        let spaces = self.spaces();
        self.out.push_str(&format!("\n{spaces}"));
    }

    /// The text being written: the open link's, or the document's.
    fn target(&mut self) -> &mut String {
        match &mut self.link {
            Some((text, _)) => text,
            None => &mut self.out,
        }
    }

    /// A space before inline code or a link unless one is there (a line break is not one, as in
    /// bcdoc's `add_trailing_space_to_previous_write`).
    fn space_before_inline(&mut self) {
        let target = self.target();
        if !target.is_empty() && !target.ends_with(' ') {
            target.push(' ');
        }
    }

    fn token(&mut self, token: Token<'_>) {
        if std::mem::take(&mut self.space_after_code) {
            let spaced =
                matches!(token, Token::Text(text) if text.starts_with(char::is_whitespace));
            if !spaced && !matches!(token, Token::Close(_)) {
                self.target().push(' ');
            }
        }
        match token {
            Token::Text(raw) if self.hidden == 0 => self.text(raw),
            Token::Text(_) => {}
            Token::Open { name, href } => self.open(&name, href),
            Token::Close(name) => self.close(&name),
        }
    }

    fn text(&mut self, raw: &str) {
        let decoded = decode_html_entities(raw);
        let mut collapsed = String::with_capacity(decoded.len());
        let mut space = false;
        for c in decoded.chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space {
                collapsed.push(' ');
                space = false;
            }
            collapsed.push(c);
        }
        if space {
            collapsed.push(' ');
        }
        let inline_start = std::mem::take(&mut self.inline_start);
        let target = self.target();
        let text = if inline_start || target.is_empty() || target.ends_with(char::is_whitespace) {
            collapsed.trim_start()
        } else {
            &collapsed
        };
        target.push_str(text);
    }

    fn open(&mut self, name: &str, href: Option<String>) {
        if self.code > 0 && name != "code" {
            return;
        }
        self.inline_start = matches!(name, "code" | "b" | "i");
        match name {
            "p" if self.in_paragraph => self.new_paragraph(),
            // Inside a link, boto3 writes code as plain text.
            "code" if self.link.is_some() => {}
            "code" => {
                if self.code == 0 {
                    self.space_before_inline();
                    self.target().push_str("``");
                }
                self.code += 1;
            }
            "b" if self.link.is_none() => self.target().push_str("**"),
            "i" if self.link.is_none() => self.target().push('*'),
            "a" if self.link.is_none() => {
                self.space_before_inline();
                match href {
                    Some(href) => self.link = Some((String::new(), href.trim().to_owned())),
                    None => self.out.push(' '),
                }
            }
            "ul" | "ol" => {
                if self.list_depth > 0 {
                    self.indent += 1;
                }
                self.list_depth += 1;
                self.new_paragraph();
            }
            "li" => {
                self.new_line();
                self.in_paragraph = false;
                self.out.push_str("* ");
            }
            "note" | "important" => {
                self.new_paragraph();
                self.out.push_str(if name == "note" {
                    ".. note::"
                } else {
                    ".. warning::"
                });
                self.indent += 1;
                self.new_paragraph();
            }
            "examples" | "fullname" => self.hidden += 1,
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if self.code > 0 && name != "code" {
            return;
        }
        match name {
            "p" if self.in_paragraph => self.new_paragraph(),
            "code" if self.link.is_some() => {}
            "code" => {
                self.code = self.code.saturating_sub(1);
                if self.code == 0 {
                    let target = self.target();
                    if target.ends_with("``") && !target.ends_with("````") {
                        // An empty `<code></code>` writes nothing.
                        if let Some(stripped) = target.strip_suffix("``") {
                            let len = stripped.len();
                            target.truncate(len);
                        }
                    } else {
                        // A space inside the end of code goes after it, as bcdoc moves it.
                        let len = target.trim_end().len();
                        let spaced = len < target.len();
                        target.truncate(len);
                        target.push_str("``");
                        self.space_after_code = spaced;
                    }
                }
            }
            "b" if self.link.is_none() => close_inline(&mut self.out, "**"),
            "i" if self.link.is_none() => close_inline(&mut self.out, "*"),
            "a" => {
                if let Some((text, href)) = self.link.take() {
                    let text = text.trim();
                    if text.is_empty() {
                        self.out.push_str(&format!("`<{href}>`__"));
                    } else {
                        let text = text.replace(':', "\\:");
                        self.out.push_str(&format!("`{text} <{href}>`__"));
                    }
                }
            }
            "ul" | "ol" => {
                self.list_depth = self.list_depth.saturating_sub(1);
                if self.list_depth > 0 {
                    self.indent = self.indent.saturating_sub(1);
                }
                self.new_paragraph();
            }
            "li" => {
                self.in_paragraph = true;
                self.new_line();
            }
            "note" | "important" => {
                self.indent = self.indent.saturating_sub(1);
                self.new_paragraph();
            }
            "examples" | "fullname" => self.hidden = self.hidden.saturating_sub(1),
            _ => {}
        }
    }
}

/// Ends inline markup, or drops its start when nothing came after it (`<b></b>`).
fn close_inline(out: &mut String, markup: &str) {
    match out.strip_suffix(markup) {
        Some(stripped) => {
            let len = stripped.len();
            out.truncate(len);
        }
        None => out.push_str(markup),
    }
}

/// `html` with only paragraphs, lists, line breaks, code, emphasis, notes and http(s) links
/// kept; every other tag is dropped (its text kept), text is escaped, and every tag kept is
/// closed. Safe to embed in the HTML page whatever the model holds.
pub(crate) fn safe_html(html: &str) -> String {
    let mut out = String::new();
    let mut open: Vec<&'static str> = Vec::new();
    let mut hidden = 0usize;
    for token in Tokenizer::new(html) {
        match token {
            Token::Text(raw) if hidden == 0 => {
                out.push_str(&encode_text(&decode_html_entities(raw)));
            }
            Token::Text(_) => {}
            Token::Open { name, href } => {
                if matches!(name.as_str(), "examples" | "fullname") {
                    hidden += 1;
                    continue;
                }
                if name == "br" {
                    out.push_str("<br>");
                    continue;
                }
                let Some(tag) = allowed(&name) else { continue };
                match (tag, href) {
                    ("a", Some(href))
                        if href.starts_with("https://") || href.starts_with("http://") =>
                    {
                        out.push_str(&format!(
                            "<a href=\"{}\">",
                            encode_double_quoted_attribute(href.trim())
                        ));
                    }
                    ("a", _) => continue,
                    ("div class=\"note\"", _) => out.push_str("<div class=\"note\">"),
                    (tag, _) => out.push_str(&format!("<{tag}>")),
                }
                open.push(tag);
            }
            Token::Close(name) => {
                if matches!(name.as_str(), "examples" | "fullname") {
                    hidden = hidden.saturating_sub(1);
                    continue;
                }
                let Some(tag) = allowed(&name) else { continue };
                if let Some(at) = open.iter().rposition(|open| *open == tag) {
                    for closing in open.drain(at..).rev() {
                        out.push_str(&closing_tag(closing));
                    }
                }
            }
        }
    }
    for closing in open.into_iter().rev() {
        out.push_str(&closing_tag(closing));
    }
    out
}

/// The tag kept for a model tag, if any.
fn allowed(name: &str) -> Option<&'static str> {
    Some(match name {
        "p" => "p",
        "ul" => "ul",
        "ol" => "ol",
        "li" => "li",
        "code" => "code",
        "b" | "strong" => "strong",
        "i" | "em" => "em",
        "a" => "a",
        "pre" => "pre",
        "note" | "important" => "div class=\"note\"",
        _ => return None,
    })
}

fn closing_tag(tag: &str) -> String {
    let name = tag.split(' ').next().unwrap_or(tag);
    format!("</{name}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rst(html: &str) -> String {
        let mut doc = Sections::new();
        write_rst(&mut doc, Sections::ROOT, html);
        doc.flush(Sections::ROOT)
    }

    /// As boto3 writes the Connect docs (compare `Contact.RelatedContactId` and
    /// `ParticipantCapabilities.ScreenShare` on the boto3 reference page).
    #[test]
    fn writes_boto3_markup() {
        assert_eq!(
            rst(
                "<p>The contactId that is <a href=\"https://x.example/related\">related</a> to \
                 this contact.</p>"
            ),
            "\n\nThe contactId that is `related <https://x.example/related>`__ to this \
             contact.\n\n"
        );
        assert_eq!(
            rst("<p>The screen sharing capability. <code>SEND</code> indicates it.</p>"),
            "\n\nThe screen sharing capability. ``SEND`` indicates it.\n\n"
        );
        assert_eq!(
            rst("<ul><li><p>One</p></li><li>Two</li></ul>"),
            "\n\n\n* One\n\n* Two\n\n\n"
        );
    }

    #[test]
    fn html_keeps_only_harmless_tags() {
        let html = safe_html(
            "<p onclick=\"x()\">A <script>alert(1)</script><a href=\"javascript:x\">b</a> \
             <a href=\"https://e.example/?q=&quot;&gt;x\">c</a> <b>d<i>e</b>",
        );
        assert_eq!(
            html,
            "<p>A alert(1)b <a href=\"https://e.example/?q=&quot;&gt;x\">c</a> \
             <strong>d<em>e</em></strong></p>"
        );
    }
}
