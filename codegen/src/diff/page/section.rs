//! botocore's document sections (`bcdoc`'s `DocumentStructure` with its `ReSTStyle`), enough to
//! lay out method documentation byte for byte as boto3 does.
//!
//! A section holds its own text and then its subsections; text written to a section after a
//! subsection was added still comes before that subsection. A new subsection starts at its
//! parent's indentation, and changing its indentation leaves the parent's alone. boto3's odd
//! blank lines come from these two rules, so they are kept rather than cleaned up.

/// An index into [`Sections`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Id(usize);

#[derive(Debug, Default)]
struct Section {
    text: String,
    indent: usize,
    children: Vec<usize>,
}

/// A tree of sections; the root is [`Sections::ROOT`].
#[derive(Debug)]
pub(super) struct Sections {
    sections: Vec<Section>,
}

/// Spaces per level of indentation.
const INDENT_WIDTH: usize = 2;

impl Sections {
    pub(super) const ROOT: Id = Id(0);

    pub(super) fn new() -> Self {
        Sections {
            sections: vec![Section::default()],
        }
    }

    /// A new last subsection of `parent`, at its indentation.
    pub(super) fn add(&mut self, parent: Id) -> Id {
        let indent = self.sections[parent.0].indent;
        self.sections.push(Section {
            indent,
            ..Section::default()
        });
        let id = self.sections.len() - 1;
        self.sections[parent.0].children.push(id);
        Id(id)
    }

    pub(super) fn write(&mut self, id: Id, text: &str) {
        self.sections[id.0].text.push_str(text);
    }

    /// `ReSTDocument.writeln`: indentation, the text and a line break.
    pub(super) fn writeln(&mut self, id: Id, text: &str) {
        let spaces = self.spaces(id);
        self.write(id, &format!("{spaces}{text}\n"));
    }

    pub(super) fn indent(&mut self, id: Id) {
        self.sections[id.0].indent += 1;
    }

    pub(super) fn dedent(&mut self, id: Id) {
        let indent = &mut self.sections[id.0].indent;
        *indent = indent.saturating_sub(1);
    }

    pub(super) fn spaces(&self, id: Id) -> String {
        " ".repeat(self.sections[id.0].indent * INDENT_WIDTH)
    }

    pub(super) fn new_line(&mut self, id: Id) {
        let spaces = self.spaces(id);
        self.write(id, &format!("\n{spaces}"));
    }

    pub(super) fn new_paragraph(&mut self, id: Id) {
        let spaces = self.spaces(id);
        self.write(id, &format!("\n\n{spaces}"));
    }

    pub(super) fn bold(&mut self, id: Id, text: &str) {
        if !text.is_empty() {
            self.write(id, &format!("**{text}**"));
        }
    }

    pub(super) fn italics(&mut self, id: Id, text: &str) {
        if !text.is_empty() {
            self.write(id, &format!("*{text}*"));
        }
    }

    /// `start_codeblock`: `::`, one level in, a blank line.
    pub(super) fn start_codeblock(&mut self, id: Id) {
        self.write(id, "::");
        self.indent(id);
        self.new_paragraph(id);
    }

    /// `codeblock`: a literal block holding `code`.
    pub(super) fn codeblock(&mut self, id: Id, code: &str) {
        self.start_codeblock(id);
        self.writeln(id, code);
        self.dedent(id);
        self.new_paragraph(id);
    }

    /// Whether a section has subsections (`available_sections`).
    pub(super) fn has_children(&self, id: Id) -> bool {
        !self.sections[id.0].children.is_empty()
    }

    pub(super) fn clear_text(&mut self, id: Id) {
        self.sections[id.0].text.clear();
    }

    /// Replaces what a section holds, subsections included, with `text`.
    pub(super) fn replace(&mut self, id: Id, text: &str) {
        let section = &mut self.sections[id.0];
        section.children.clear();
        section.text = text.to_owned();
    }

    /// The text of `id` and its subsections, depth first (`flush_structure`).
    pub(super) fn flush(&self, id: Id) -> String {
        let mut out = String::new();
        self.flush_into(id.0, &mut out);
        out
    }

    fn flush_into(&self, index: usize, out: &mut String) {
        let section = &self.sections[index];
        out.push_str(&section.text);
        for &child in &section.children {
            self.flush_into(child, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_writes_come_before_subsections() {
        let mut doc = Sections::new();
        let root = Sections::ROOT;
        doc.indent(root);
        let child = doc.add(root);
        doc.write(child, "child");
        doc.indent(child);
        doc.new_line(child);
        doc.write(root, "root");
        doc.new_line(root);
        assert_eq!(doc.flush(root), "root\n  child\n    ");
    }
}
