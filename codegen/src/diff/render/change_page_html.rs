//! The change page as one self-contained HTML file (styles inline, no scripts, nothing fetched),
//! laid out like awsapichanges.info's: the title box, the `Changes` tag with the release note,
//! and a box per method that opens to what it gained and its boto3 documentation.
//!
//! Model documentation is reduced to a few harmless tags and everything else is escaped, so any
//! model can be shown safely.

use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute, encode_text};

use super::super::page::method_doc::{Body, MethodDoc, Param};
use super::super::page::{ChangePage, Method, doc_html};

/// The page's styles: the site's boxes, tags and disclosure widgets, in plain CSS.
const STYLE: &str = "\
body{font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;\
color:#363636;background:#f5f5f5;margin:0;line-height:1.5}\
main{max-width:70em;margin:0 auto;padding:1.5em}\
h1{text-align:center;font-size:2em;font-weight:600;margin:.5em 0 1em}\
.box{background:#fff;border-radius:6px;box-shadow:0 2px 3px rgba(10,10,10,.1),0 0 0 1px rgba(10,10,10,.1);\
padding:1.25em}\
.title{font-size:1.25em;font-weight:600;margin:0 0 .75em}\
.tag{display:inline-block;background:#f14668;color:#fff;border-radius:4px;font-size:.75em;\
padding:0 .75em;line-height:2;margin-right:.5em}\
details{border:1px solid #aaa;border-radius:4px;padding:.5em .5em 0;margin:.5em 0}\
details[open]{padding:.5em}\
summary{font-weight:bold;margin:-.5em -.5em 0;padding:.5em;cursor:pointer}\
details[open] summary{border-bottom:1px solid #aaa;margin-bottom:.5em}\
.new{color:#48c774}.updated{color:#3298dc}\
pre{background:#f5f5f5;padding:.75em 1em;overflow-x:auto;font-size:.875em;line-height:1.35}\
code{background:#f5f5f5;color:#da1039;padding:0 .25em;font-size:.9em}\
pre code{background:none;color:inherit;padding:0}\
.params>dt{font-weight:600;margin-top:.75em}.params>dd{margin-left:1.5em}\
.members{list-style:disc;padding-left:1.5em}.members li{margin:.35em 0}\
.type{font-style:italic}.required{font-weight:bold}\
.note{border-left:4px solid #3298dc;background:#eef6fc;padding:.5em 1em;margin:.5em 0}\
.link{font-size:.875em}";

/// The HTML form of a change page.
pub fn change_page_html(page: &ChangePage) -> String {
    let title = page.title();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n\
         <section class=\"box\">\n<p class=\"title\">{}</p>\n",
        encode_text(&title),
        encode_text(&page.service),
        encode_text(&title)
    );
    if let Some(changes) = &page.changes {
        let _ = writeln!(
            out,
            "<p><span class=\"tag\">Changes</span>{}</p>",
            encode_text(changes)
        );
    }
    for method in &page.new {
        method_html(&mut out, method, "new");
    }
    for method in &page.updated {
        method_html(&mut out, method, "updated");
    }
    out.push_str("</section>\n</main>\n</body>\n</html>\n");
    out
}

fn method_html(out: &mut String, method: &Method, kind: &str) {
    let id = encode_double_quoted_attribute(&method.name);
    let name = encode_text(&method.name);
    let _ = writeln!(
        out,
        "<details id=\"{id}\" open>\n<summary><span class=\"{kind}\">{name}</span>&nbsp;({kind})\
         </summary>\n<p class=\"link\"><a href=\"#{id}\">Link ¶</a></p>"
    );
    if let Some(changes) = &method.changes {
        let _ = writeln!(
            out,
            "<p><em>Changes</em> ({})</p>",
            encode_text(changes.sides())
        );
        for (label, delta) in changes.parts() {
            if let Some(label) = label {
                let _ = writeln!(out, "<p>{label}</p>");
            }
            let _ = writeln!(out, "<pre>{}</pre>", encode_text(&delta.to_py().pformat()));
        }
    }
    method_doc_html(out, &method.doc);
    out.push_str("</details>\n");
}

/// boto3's method documentation, as its reference pages show it.
fn method_doc_html(out: &mut String, doc: &MethodDoc) {
    if let Some(description) = &doc.description {
        let _ = writeln!(out, "<div>{}</div>", doc_html(description));
    }
    if doc.deprecated {
        out.push_str(
            "<div class=\"note\">This operation is deprecated and may not function as expected. \
             This operation should not be used going forward and is only kept for the purpose \
             of backwards compatiblity.</div>\n",
        );
    }
    if let Some(link) = &doc.api_link {
        let _ = writeln!(
            out,
            "<p>See also: <a href=\"{}\">AWS API Documentation</a></p>",
            encode_double_quoted_attribute(link)
        );
    }
    let too_large = doc.too_large;
    let _ = writeln!(out, "<p><strong>Request Syntax</strong></p>");
    if too_large.request_syntax {
        too_large_html(out, doc);
    } else {
        let _ = writeln!(
            out,
            "<pre><code>{}</code></pre>",
            encode_text(&doc.request_syntax)
        );
    }
    if too_large.parameters {
        out.push_str("<p><strong>Parameters</strong></p>\n");
        too_large_html(out, doc);
    } else if !doc.request.is_empty() {
        out.push_str("<dl class=\"params\">\n");
        for param in &doc.request {
            let _ = writeln!(
                out,
                "<dt><code>{}</code> <span class=\"type\">({})</span></dt>\n<dd>",
                encode_text(param.name.as_deref().unwrap_or("")),
                encode_text(&param.type_name)
            );
            param_body_html(out, param);
            out.push_str("</dd>\n");
        }
        out.push_str("</dl>\n");
    }
    match &doc.response {
        Some(response) => {
            out.push_str("<p><strong>Return type</strong>: dict</p>\n");
            if response.event_stream {
                out.push_str(
                    "<p>The response of this operation contains an EventStream member. When \
                     iterated the EventStream will yield events based on the structure below, \
                     where only one of the top level keys will be present for any given \
                     event.</p>\n",
                );
            }
            out.push_str("<p><strong>Response Syntax</strong></p>\n");
            if too_large.response_syntax {
                too_large_html(out, doc);
            } else {
                let _ = writeln!(
                    out,
                    "<pre><code>{}</code></pre>",
                    encode_text(&response.syntax)
                );
            }
            out.push_str("<p><strong>Response Structure</strong></p>\n");
            if too_large.response_structure {
                too_large_html(out, doc);
            } else {
                out.push_str("<ul class=\"members\">\n");
                member_html(out, &response.structure);
                out.push_str("</ul>\n");
            }
        }
        None => out.push_str("<p><strong>Returns</strong>: None</p>\n"),
    }
}

/// What boto3 shows for a section too large to render.
fn too_large_html(out: &mut String, doc: &MethodDoc) {
    out.push_str("<div class=\"note\">This section is too large to render. Please see the ");
    match &doc.api_link {
        Some(link) => {
            let _ = write!(
                out,
                "<a href=\"{}\">AWS API Documentation</a>",
                encode_double_quoted_attribute(link)
            );
        }
        None => out.push_str("AWS API Documentation"),
    }
    out.push_str(".</div>\n");
}

/// A nested member: `Name (type) --`, `[REQUIRED]`, its docs and what is below it.
fn member_html(out: &mut String, param: &Param) {
    out.push_str("<li>");
    if let Some(name) = &param.name {
        let _ = write!(out, "<strong>{}</strong> ", encode_text(name));
    }
    let _ = write!(
        out,
        "<span class=\"type\">({}) --</span>",
        encode_text(&param.type_name)
    );
    param_body_html(out, param);
    out.push_str("</li>\n");
}

/// `[REQUIRED]`, the docs, the tagged-union note and the members, items or map entries.
fn param_body_html(out: &mut String, param: &Param) {
    if param.required {
        out.push_str(" <span class=\"required\">[REQUIRED]</span>");
    }
    if let Some(documentation) = &param.documentation {
        if let Some(members) = &param.union_members {
            let names: Vec<String> = members
                .iter()
                .map(|member| format!("<code>{}</code>", encode_text(member)))
                .collect();
            let _ = write!(
                out,
                "<div class=\"note\">This is a Tagged Union structure. Only one of the \
                 following top level keys will be set: {}.</div>",
                names.join(", ")
            );
        }
        let _ = write!(out, "<div>{}</div>", doc_html(documentation));
        if param.idempotency_token {
            out.push_str("<p>This field is autopopulated if not provided.</p>");
        }
    }
    match &param.body {
        Body::Scalar | Body::Recursive => {}
        Body::Structure(members) => {
            out.push_str("\n<ul class=\"members\">\n");
            for member in members {
                member_html(out, member);
            }
            out.push_str("</ul>");
        }
        Body::List(item) => {
            out.push_str("\n<ul class=\"members\">\n");
            member_html(out, item);
            out.push_str("</ul>");
        }
        // As boto3 shows a map: the key, and the value below it.
        Body::Map { key, value } => {
            out.push_str("\n<ul class=\"members\">\n<li>");
            let _ = write!(
                out,
                "<span class=\"type\">({}) --</span>",
                encode_text(&key.type_name)
            );
            if let Some(documentation) = &key.documentation {
                let _ = write!(out, "<div>{}</div>", doc_html(documentation));
            }
            out.push_str("\n<ul class=\"members\">\n");
            member_html(out, value);
            out.push_str("</ul></li>\n</ul>");
        }
    }
}
