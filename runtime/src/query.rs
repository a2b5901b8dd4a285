//! The form body of the query and ec2 protocols: `Action=Op&Version=2010-05-08&Name.1=a&...`.
//!
//! Generated [`QueryWrite`] impls name each member's key (its `locationName`, or for ec2 its
//! `queryName` or capitalized `locationName`: decided when the crate is generated) and say how
//! its lists and maps are laid out; the writer keeps the dotted key of the value being written
//! and percent-encodes pairs as botocore does (RFC 3986 unreserved characters stay as they are).

use std::collections::HashMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::DateTime;
use crate::rest::{TimestampFormat, ToText, timestamp_text};

const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A form body under construction.
#[derive(Debug)]
pub struct QueryWriter {
    body: String,
    /// The dotted key of the value being written (`Filters.member.1.Name`).
    key: String,
}

/// A structure or union written as form pairs under the writer's current key.
pub trait QueryWrite {
    /// Writes every member that is set.
    fn write_query(&self, writer: &mut QueryWriter);
}

/// How a list is laid out in a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListLayout {
    /// query: `Key.member.1` (or the model's name for items instead of `member`); an empty
    /// list sends `Key=`.
    Wrapped(&'static str),
    /// query, flattened: `Key.1`, or with the model's name for items, that name in place of
    /// the member's (`Item.1`); an empty list sends `Key=`.
    Flattened(Option<&'static str>),
    /// ec2: always `Key.1`; an empty list sends nothing.
    Ec2,
}

/// How a map is laid out in a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapLayout {
    /// `Key.1.key` instead of `Key.entry.1.key`.
    pub flattened: bool,
    /// The key's name (`key` unless the model says otherwise).
    pub key: &'static str,
    /// The value's name (`value` unless the model says otherwise).
    pub value: &'static str,
}

impl QueryWriter {
    /// A body calling `action` of API `version`.
    pub fn new(action: &str, version: &str) -> Self {
        let mut writer = QueryWriter {
            body: String::new(),
            key: String::new(),
        };
        writer.pair("Action", action);
        writer.pair("Version", version);
        writer
    }

    fn pair(&mut self, key: &str, value: &str) {
        if !self.body.is_empty() {
            self.body.push('&');
        }
        self.body.extend(utf8_percent_encode(key, UNRESERVED));
        self.body.push('=');
        self.body.extend(utf8_percent_encode(value, UNRESERVED));
    }

    fn value(&mut self, value: &str) {
        let key = std::mem::take(&mut self.key);
        self.pair(&key, value);
        self.key = key;
    }

    /// Writes member `name` of the value being written, with `write`.
    pub fn member(&mut self, name: &str, write: impl FnOnce(&mut Self)) {
        let length = self.key.len();
        if length > 0 {
            self.key.push('.');
        }
        self.key.push_str(name);
        write(self);
        self.key.truncate(length);
    }

    /// A scalar.
    pub fn text<T: ToText + ?Sized>(&mut self, value: &T) {
        self.value(&value.to_text());
    }

    /// A timestamp in `format` (iso8601 unless the model says otherwise).
    pub fn timestamp(&mut self, value: &DateTime, format: TimestampFormat) {
        self.value(&timestamp_text(value, format));
    }

    /// A blob, base64-encoded.
    pub fn blob(&mut self, value: &[u8]) {
        use base64::Engine as _;
        self.value(&base64::engine::general_purpose::STANDARD.encode(value));
    }

    /// A list, laid out as `layout` says.
    pub fn list<T>(
        &mut self,
        items: &[T],
        layout: ListLayout,
        mut write: impl FnMut(&mut Self, &T),
    ) {
        if items.is_empty() {
            if layout != ListLayout::Ec2 {
                self.value("");
            }
            return;
        }
        let saved = self.key.clone();
        match layout {
            ListLayout::Wrapped(item) => {
                self.key.push('.');
                self.key.push_str(item);
            }
            ListLayout::Flattened(Some(item)) => {
                // The items' name replaces the member's, the last part of the key.
                let start = self.key.rfind('.').map_or(0, |dot| dot + 1);
                self.key.truncate(start);
                self.key.push_str(item);
            }
            ListLayout::Flattened(None) | ListLayout::Ec2 => {}
        }
        let prefix = self.key.len();
        for (index, item) in items.iter().enumerate() {
            self.key.push('.');
            self.key.push_str(&(index + 1).to_string());
            write(self, item);
            self.key.truncate(prefix);
        }
        self.key = saved;
    }

    /// A map, entries in key order (a `HashMap` has none, and a request must be the same on
    /// every run).
    pub fn map<K: AsRef<str>, V>(
        &mut self,
        map: &HashMap<K, V>,
        layout: MapLayout,
        mut write: impl FnMut(&mut Self, &V),
    ) {
        let mut entries: Vec<(&K, &V)> = map.iter().collect();
        entries.sort_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
        let length = self.key.len();
        if !layout.flattened {
            self.key.push_str(".entry");
        }
        let prefix = self.key.len();
        for (index, (key, value)) in entries.into_iter().enumerate() {
            let number = (index + 1).to_string();
            self.member(&number, |writer| {
                writer.member(layout.key, |writer| writer.text(key.as_ref()));
                writer.member(layout.value, |writer| write(writer, value));
            });
            self.key.truncate(prefix);
        }
        self.key.truncate(length);
    }

    /// The encoded body.
    pub fn finish(self) -> Vec<u8> {
        self.body.into_bytes()
    }
}
