//! XML as the AWS XML protocols (rest-xml, query, ec2) write and read it, on quick-xml.
//!
//! Reading is a pull parser over the whole body: generated code asks for the next child of an
//! element, dispatches on its local name (namespace prefixes are ignored, as botocore ignores
//! them), and reads the child as text, as a list, a map, a structure or a union, or skips it.
//! The reader never expands an entity beyond the five XML predefines and character references,
//! refuses document type declarations, stops at [`MAX_DEPTH`] levels of nesting, and borrows
//! text from the body instead of copying it where it can.
//!
//! Writing builds a document element by element; generated [`XmlWrite`] impls say which
//! members become child elements and which become attributes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

use quick_xml::events::{BytesStart, Event};

use crate::error::DecodeError;
use crate::http::HttpResponse;
use crate::rest::{FromText, TimestampFormat, ToText, timestamp_text};
use crate::{DateTime, Document, UnknownMember};

/// How deep elements may nest before a document is refused: far deeper than any AWS response,
/// and shallow enough that reading recursive shapes cannot exhaust the stack.
pub const MAX_DEPTH: usize = 128;

/// How long one start tag (its name and attributes) may be before a document is refused. AWS
/// puts only namespaces and `xsi:type` in attributes; a tag of this size is an attack or a
/// broken body, and refusing it means no reader ever looks into a 100 MB attribute.
pub const MAX_START_TAG: usize = 64 * 1024;

/// Why a document could not be read, with the byte offset where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    message: String,
    position: u64,
}

impl XmlError {
    fn new(message: impl Into<String>, position: u64) -> Self {
        XmlError {
            message: message.into(),
            position,
        }
    }

    /// An attribute whose value does not read as its member's type.
    pub fn attribute(name: &str, message: impl fmt::Display) -> Self {
        XmlError::new(format!("attribute {name}: {message}"), 0)
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The byte offset in the document.
    pub fn position(&self) -> u64 {
        self.position
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.position)
    }
}

impl std::error::Error for XmlError {}

/// A pull reader over one XML document.
pub struct XmlReader<'a> {
    reader: quick_xml::Reader<&'a [u8]>,
    /// Elements open around the current position.
    depth: usize,
}

impl fmt::Debug for XmlReader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XmlReader")
            .field("position", &self.reader.buffer_position())
            .field("depth", &self.depth)
            .finish()
    }
}

/// An element whose start tag was read; its content is read (or skipped) through the reader.
#[derive(Debug)]
pub struct Element<'a> {
    start: BytesStart<'a>,
    /// `<name/>`: no content, no end tag.
    empty: bool,
}

impl Element<'_> {
    /// The element's name without its namespace prefix.
    pub fn local_name(&self) -> &[u8] {
        let name = self.start.name().into_inner();
        match name.split_once(':') {
            Some((_, local)) => local.as_bytes(),
            None => name.as_bytes(),
        }
    }

    /// The local name as text, for error messages and unknown members.
    pub fn name(&self) -> String {
        String::from_utf8_lossy(self.local_name()).into_owned()
    }

    /// The value of attribute `name`, as botocore matches it: a name with a prefix
    /// (`xsi:type`) matches any prefixed attribute with that local name, a name without one
    /// only an attribute without a prefix.
    pub fn attribute(&self, name: &str) -> Result<Option<String>, XmlError> {
        let (prefixed, local) = match name.split_once(':') {
            Some((_, local)) => (true, local),
            None => (false, name),
        };
        for attribute in self.start.attributes() {
            let attribute =
                attribute.map_err(|error| XmlError::new(format!("an attribute: {error}"), 0))?;
            let key = attribute.key.into_inner();
            let matches = match key.split_once(':') {
                Some((_, key)) => prefixed && key == local,
                None => !prefixed && key == local,
            };
            if matches {
                let value = attribute
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|error| {
                        XmlError::new(format!("the value of attribute {name}: {error}"), 0)
                    })?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }
}

impl<'a> XmlReader<'a> {
    /// A reader over `body`, which must be UTF-8 (as every AWS XML document is).
    pub fn new(body: &'a [u8]) -> Result<Self, XmlError> {
        if let Err(error) = std::str::from_utf8(body) {
            return Err(XmlError::new(
                "the document is not UTF-8",
                error.valid_up_to() as u64,
            ));
        }
        let mut reader = quick_xml::Reader::from_reader(body);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Ok(XmlReader { reader, depth: 0 })
    }

    fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    fn error(&self, message: impl Into<String>) -> XmlError {
        XmlError::new(message, self.position())
    }

    fn event(&mut self) -> Result<Event<'a>, XmlError> {
        let event = self
            .reader
            .read_event()
            .map_err(|error| XmlError::new(error.to_string(), self.reader.error_position()))?;
        if let Event::Start(start) | Event::Empty(start) = &event
            && start.len() > MAX_START_TAG
        {
            return Err(self.error(format!(
                "a start tag of {} bytes, past the limit of {MAX_START_TAG}",
                start.len()
            )));
        }
        Ok(event)
    }

    /// Refuses what AWS never sends and a hostile document might: a DTD, whose entities
    /// could expand without bound.
    fn refuse_doctype(&self) -> XmlError {
        self.error("a document type declaration, which AWS never sends, is not accepted")
    }

    fn open(&mut self, start: BytesStart<'a>) -> Result<Element<'a>, XmlError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!("elements nest deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        Ok(Element {
            start,
            empty: false,
        })
    }

    /// The document's root element, after the declaration, comments and processing
    /// instructions.
    pub fn root(&mut self) -> Result<Element<'a>, XmlError> {
        loop {
            match self.event()? {
                Event::Start(start) => return self.open(start),
                Event::Empty(start) => return Ok(Element { start, empty: true }),
                Event::Text(text) if text.trim().is_empty() => {}
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::DocType(_) => return Err(self.refuse_doctype()),
                Event::Eof => return Err(self.error("the document has no root element")),
                _ => return Err(self.error("text before the root element")),
            }
        }
    }

    /// The next child element of `parent`, or `None` at its end. Every child returned must be
    /// read or skipped before the next is asked for.
    pub fn next_child(&mut self, parent: &Element<'a>) -> Result<Option<Element<'a>>, XmlError> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            match self.event()? {
                Event::Start(start) => return self.open(start).map(Some),
                Event::Empty(start) => return Ok(Some(Element { start, empty: true })),
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(None);
                }
                Event::GeneralRef(reference) => {
                    // Text between elements is ignored, but an entity must still be one we know.
                    resolve(&reference).map_err(|message| self.error(message))?;
                }
                Event::DocType(_) => return Err(self.refuse_doctype()),
                Event::Eof => return Err(self.error("the document ends inside an element")),
                _ => {}
            }
        }
    }

    /// The text of `element` (its character data, references resolved, line ends normalized
    /// as XML 1.0 parsers do); `""` for an empty element. Child elements are skipped.
    pub fn text(&mut self, element: &Element<'a>) -> Result<Cow<'a, str>, XmlError> {
        if element.empty {
            return Ok(Cow::Borrowed(""));
        }
        let mut text: Cow<'a, str> = Cow::Borrowed("");
        let push = |text: &mut Cow<'a, str>, piece: Cow<'a, str>| {
            if text.is_empty() {
                *text = piece;
            } else {
                text.to_mut().push_str(&piece);
            }
        };
        loop {
            match self.event()? {
                Event::Text(piece) => push(&mut text, piece.xml10_content()),
                Event::CData(piece) => push(&mut text, piece.xml10_content()),
                Event::GeneralRef(reference) => {
                    let resolved = resolve(&reference).map_err(|message| self.error(message))?;
                    push(&mut text, Cow::Owned(resolved));
                }
                Event::Start(start) => {
                    let child = self.open(start)?;
                    self.skip(&child)?;
                }
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(text);
                }
                Event::DocType(_) => return Err(self.refuse_doctype()),
                Event::Eof => return Err(self.error("the document ends inside an element")),
                _ => {}
            }
        }
    }

    /// Skips `element` and everything in it, without recursion (but within [`MAX_DEPTH`]).
    pub fn skip(&mut self, element: &Element<'a>) -> Result<(), XmlError> {
        if element.empty {
            return Ok(());
        }
        let mut open = 1usize;
        while open > 0 {
            match self.event()? {
                Event::Start(_) => {
                    open += 1;
                    // Skipped elements count too: no document nests deeper than the limit.
                    if self.depth + open > MAX_DEPTH {
                        return Err(
                            self.error(format!("elements nest deeper than {MAX_DEPTH} levels"))
                        );
                    }
                }
                Event::End(_) => open -= 1,
                Event::GeneralRef(reference) => {
                    resolve(&reference).map_err(|message| self.error(message))?;
                }
                Event::DocType(_) => return Err(self.refuse_doctype()),
                Event::Eof => return Err(self.error("the document ends inside an element")),
                _ => {}
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// The first child of `parent` named `name` (skipping the others before it), or `None`.
    pub fn find_child(
        &mut self,
        parent: &Element<'a>,
        name: &[u8],
    ) -> Result<Option<Element<'a>>, XmlError> {
        while let Some(child) = self.next_child(parent)? {
            if child.local_name() == name {
                return Ok(Some(child));
            }
            self.skip(&child)?;
        }
        Ok(None)
    }
}

/// A character reference or one of the five predefined entities; anything else is refused.
fn resolve(reference: &quick_xml::events::BytesRef<'_>) -> Result<String, String> {
    match reference.resolve_char_ref() {
        Ok(Some(character)) => Ok(character.to_string()),
        Ok(None) => quick_xml::escape::resolve_predefined_entity(reference)
            .map(str::to_owned)
            .ok_or_else(|| format!("an unknown entity &{};", &**reference)),
        Err(error) => Err(format!("a character reference: {error}")),
    }
}

// ---- Values ----

/// A string (or an enum's value) as the element's text, exactly.
pub fn read_string<'a, T: for<'s> From<&'s str>>(
    reader: &mut XmlReader<'a>,
    element: &Element<'a>,
) -> Result<T, XmlError> {
    Ok(T::from(&*reader.text(element)?))
}

/// IAM's policy documents: JSON sent percent-encoded (`%7B%22Version%22...`), read as the JSON
/// text, as botocore's `json_decode_policies` decodes them. Text that does not decode to JSON
/// stays as it came, as botocore leaves it.
pub fn read_quoted_json<'a, T: for<'s> From<&'s str>>(
    reader: &mut XmlReader<'a>,
    element: &Element<'a>,
) -> Result<T, XmlError> {
    let text = reader.text(element)?;
    let decoded = percent_encoding::percent_decode_str(&text).decode_utf8();
    Ok(match decoded {
        Ok(json) if serde_json::from_str::<serde::de::IgnoredAny>(&json).is_ok() => T::from(&json),
        _ => T::from(&text),
    })
}

/// A number or boolean as the element's text, surrounding whitespace ignored.
pub fn read_scalar<'a, T: FromText>(
    reader: &mut XmlReader<'a>,
    element: &Element<'a>,
) -> Result<T, XmlError> {
    let position = reader.position();
    let text = reader.text(element)?;
    T::from_text(text.trim()).map_err(|message| {
        XmlError::new(format!("element {}: {message}", element.name()), position)
    })
}

/// A blob: base64 text (whitespace inside it ignored, as botocore's decoder ignores it).
pub fn read_blob<'a>(
    reader: &mut XmlReader<'a>,
    element: &Element<'a>,
) -> Result<Vec<u8>, XmlError> {
    use base64::Engine as _;
    let position = reader.position();
    let text = reader.text(element)?;
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|error| {
            XmlError::new(
                format!("element {}: invalid base64: {error}", element.name()),
                position,
            )
        })
}

/// A timestamp in whichever form the service wrote it: RFC 3339, epoch seconds or an HTTP
/// date, as botocore's parser accepts them all.
pub fn read_timestamp<'a>(
    reader: &mut XmlReader<'a>,
    element: &Element<'a>,
) -> Result<DateTime, XmlError> {
    let position = reader.position();
    let text = reader.text(element)?;
    crate::time::parse_any_timestamp(&text).ok_or_else(|| {
        XmlError::new(
            format!("element {}: {:?} is not a timestamp", element.name(), text),
            position,
        )
    })
}

/// A list in a wrapper element: every child is an item, whatever its name (botocore does not
/// check the names either).
pub fn read_list<'a, T>(
    reader: &mut XmlReader<'a>,
    element: &Element<'a>,
    mut read_item: impl FnMut(&mut XmlReader<'a>, &Element<'a>) -> Result<T, XmlError>,
) -> Result<Vec<T>, XmlError> {
    let mut items = Vec::new();
    while let Some(child) = reader.next_child(element)? {
        items.push(read_item(reader, &child)?);
    }
    Ok(items)
}

/// Adds one item of a flattened list (its items are elements of the structure itself).
pub fn push<T>(list: &mut Option<Vec<T>>, item: T) {
    list.get_or_insert_with(Vec::new).push(item);
}

/// A map in a wrapper element of `<entry>` elements, each with a key and a value element.
pub fn read_map<'a, K: Eq + Hash, V>(
    reader: &mut XmlReader<'a>,
    element: &Element<'a>,
    names: (&[u8], &[u8]),
    mut read_key: impl FnMut(&mut XmlReader<'a>, &Element<'a>) -> Result<K, XmlError>,
    mut read_value: impl FnMut(&mut XmlReader<'a>, &Element<'a>) -> Result<V, XmlError>,
) -> Result<HashMap<K, V>, XmlError> {
    let mut map = HashMap::new();
    while let Some(entry) = reader.next_child(element)? {
        if let Some((key, value)) =
            read_map_entry(reader, &entry, names, &mut read_key, &mut read_value)?
        {
            map.insert(key, value);
        }
    }
    Ok(map)
}

/// One entry of a map: its key and value elements (named `names`, `key` and `value` unless the
/// model says otherwise); `None` when it has no value.
pub fn read_map_entry<'a, K, V>(
    reader: &mut XmlReader<'a>,
    entry: &Element<'a>,
    (key_name, value_name): (&[u8], &[u8]),
    mut read_key: impl FnMut(&mut XmlReader<'a>, &Element<'a>) -> Result<K, XmlError>,
    mut read_value: impl FnMut(&mut XmlReader<'a>, &Element<'a>) -> Result<V, XmlError>,
) -> Result<Option<(K, V)>, XmlError> {
    let (mut key, mut value) = (None, None);
    while let Some(child) = reader.next_child(entry)? {
        let name = child.local_name();
        if name == key_name {
            key = Some(read_key(reader, &child)?);
        } else if name == value_name {
            value = Some(read_value(reader, &child)?);
        } else {
            reader.skip(&child)?;
        }
    }
    match (key, value) {
        (Some(key), Some(value)) => Ok(Some((key, value))),
        (None, _) => Err(reader.error(format!("a map entry {} without a key", entry.name()))),
        (Some(_), None) => Ok(None),
    }
}

/// Inserts one entry of a flattened map (its entries are elements of the structure itself).
pub fn insert<K: Eq + Hash, V>(map: &mut Option<HashMap<K, V>>, entry: Option<(K, V)>) {
    if let Some((key, value)) = entry {
        map.get_or_insert_with(HashMap::new).insert(key, value);
    }
}

/// A structure read member by member into its `Default` value, so that a response missing a
/// `required` member still reads.
pub trait XmlStructure: Default {
    /// The model's name of the shape, for error messages.
    const NAME: &'static str;

    /// Reads the members bound to attributes of the structure's element.
    fn read_attributes(&mut self, element: &Element<'_>) -> Result<(), XmlError> {
        let _ = element;
        Ok(())
    }

    /// Reads the member that `child` holds, or skips it when the structure does not know it.
    fn read_member<'a>(
        &mut self,
        reader: &mut XmlReader<'a>,
        child: &Element<'a>,
    ) -> Result<(), XmlError>;
}

/// Reads a structure from its element.
pub fn read_structure<'a, T: XmlStructure>(
    reader: &mut XmlReader<'a>,
    element: &Element<'a>,
) -> Result<T, XmlError> {
    let mut value = T::default();
    value.read_attributes(element)?;
    while let Some(child) = reader.next_child(element)? {
        value.read_member(reader, &child)?;
    }
    Ok(value)
}

/// A tagged union: an element with exactly one member element.
pub trait XmlUnion: Sized {
    /// The model's name of the shape, for error messages.
    const NAME: &'static str;

    /// Reads the member `child` holds; a member the union does not know keeps its name.
    fn read_member<'a>(reader: &mut XmlReader<'a>, child: &Element<'a>) -> Result<Self, XmlError>;
}

/// Reads a union from its element, which must hold exactly one member.
pub fn read_union<'a, T: XmlUnion>(
    reader: &mut XmlReader<'a>,
    element: &Element<'a>,
) -> Result<T, XmlError> {
    let mut found: Option<(String, T)> = None;
    while let Some(child) = reader.next_child(element)? {
        let name = child.name();
        let value = T::read_member(reader, &child)?;
        if let Some((first, _)) = &found {
            return Err(reader.error(format!(
                "{}: members `{first}` and `{name}` are both set, but a union has exactly one",
                T::NAME
            )));
        }
        found = Some((name, value));
    }
    found.map(|(_, value)| value).ok_or_else(|| {
        reader.error(format!(
            "{}: no member is set, but a union has exactly one",
            T::NAME
        ))
    })
}

/// A member a union does not know: skipped, its name kept.
pub fn read_unknown_member<'a>(
    reader: &mut XmlReader<'a>,
    child: &Element<'a>,
) -> Result<UnknownMember, XmlError> {
    let name = child.name();
    reader.skip(child)?;
    Ok(UnknownMember::new(&name, Document::Null))
}

// ---- Documents ----

fn decode_error(response: &HttpResponse, error: XmlError) -> DecodeError {
    DecodeError::new(response, error)
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// A structure that is the whole body, its root element (rest-xml outputs); an empty body
/// reads as the default value.
pub fn read_body<T: XmlStructure>(response: &HttpResponse) -> Result<T, DecodeError> {
    read_payload(response).map(Option::unwrap_or_default)
}

/// A structure bound to the whole body (`payload`): absent when the body is empty.
pub fn read_payload<T: XmlStructure>(response: &HttpResponse) -> Result<Option<T>, DecodeError> {
    if is_blank(&response.body) {
        return Ok(None);
    }
    read_root(&response.body)
        .map(Some)
        .map_err(|error| decode_error(response, error))
}

/// A structure that is the root element of `document`, whatever its name.
fn read_root<T: XmlStructure>(document: &[u8]) -> Result<T, XmlError> {
    let mut reader = XmlReader::new(document)?;
    let root = reader.root()?;
    read_structure(&mut reader, &root)
}

/// The payload of an event-stream message as a structure, its root element (S3 Select's
/// `Stats`); the default value when the payload is empty.
pub fn read_event<T: XmlStructure>(
    message: &crate::event_stream::Message,
) -> Result<T, crate::event_stream::EventDecodeError> {
    let payload = message.payload();
    if is_blank(payload) {
        return Ok(T::default());
    }
    read_root(payload).map_err(crate::event_stream::EventDecodeError::new)
}

/// A union bound to the whole body (`payload`): absent when the body is empty.
pub fn read_union_payload<T: XmlUnion>(response: &HttpResponse) -> Result<Option<T>, DecodeError> {
    if is_blank(&response.body) {
        return Ok(None);
    }
    let read = || {
        let mut reader = XmlReader::new(&response.body)?;
        let root = reader.root()?;
        read_union(&mut reader, &root)
    };
    read()
        .map(Some)
        .map_err(|error| decode_error(response, error))
}

/// A structure under the root's child `wrapper` (query outputs: `<OpResponse><OpResult>`),
/// or the root itself when there is no wrapper (ec2). A body without the wrapper reads as the
/// default value.
pub fn read_wrapped<T: XmlStructure>(
    response: &HttpResponse,
    wrapper: Option<&str>,
) -> Result<T, DecodeError> {
    if is_blank(&response.body) {
        return Ok(T::default());
    }
    let read = || {
        let mut reader = XmlReader::new(&response.body)?;
        let root = reader.root()?;
        match wrapper {
            None => read_structure(&mut reader, &root),
            Some(wrapper) => match reader.find_child(&root, wrapper.as_bytes())? {
                Some(result) => read_structure(&mut reader, &result),
                None => Ok(T::default()),
            },
        }
    };
    read().map_err(|error| decode_error(response, error))
}

/// The element an error's members are in: `<ErrorResponse><Error>` (query, rest-xml),
/// `<Response><Errors><Error>` (ec2), or the root itself (S3's `<Error>`).
fn error_element<'a>(reader: &mut XmlReader<'a>) -> Result<Element<'a>, XmlError> {
    let root = reader.root()?;
    match root.local_name() {
        b"ErrorResponse" => Ok(reader.find_child(&root, b"Error")?.unwrap_or(root)),
        b"Response" => match reader.find_child(&root, b"Errors")? {
            Some(errors) => Ok(reader.find_child(&errors, b"Error")?.unwrap_or(errors)),
            None => Ok(root),
        },
        _ => Ok(root),
    }
}

/// A modeled error's members, from the element its protocol puts them in. A body that does not
/// read gives the default value, so that the error keeps its code and status.
pub fn read_error<T: XmlStructure>(response: &HttpResponse) -> T {
    let read = || {
        let mut reader = XmlReader::new(&response.body)?;
        let element = error_element(&mut reader)?;
        read_structure(&mut reader, &element)
    };
    read().unwrap_or_default()
}

/// The facts an XML error body states.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ErrorFields {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    /// `Sender` or `Receiver`.
    pub(crate) fault: Option<String>,
    pub(crate) request_id: Option<String>,
}

/// Reads `Code`, `Message` and `Type` of the error element and the request id beside it
/// (`RequestId`, or ec2's `RequestID`), wherever the protocol puts them.
pub(crate) fn error_fields(body: &[u8]) -> Result<ErrorFields, XmlError> {
    let mut reader = XmlReader::new(body)?;
    let root = reader.root()?;
    let mut fields = ErrorFields::default();
    read_error_level(&mut reader, &root, &mut fields, 0)?;
    Ok(fields)
}

/// One level of an error document: leaves are fields, `Error`/`Errors` are descended into.
fn read_error_level<'a>(
    reader: &mut XmlReader<'a>,
    element: &Element<'a>,
    fields: &mut ErrorFields,
    level: usize,
) -> Result<(), XmlError> {
    while let Some(child) = reader.next_child(element)? {
        let slot = match child.local_name() {
            b"Error" | b"Errors" if level < 2 => {
                read_error_level(reader, &child, fields, level + 1)?;
                continue;
            }
            b"Code" => &mut fields.code,
            b"Message" => &mut fields.message,
            b"Type" => &mut fields.fault,
            b"RequestId" | b"RequestID" => &mut fields.request_id,
            _ => {
                reader.skip(&child)?;
                continue;
            }
        };
        let text = reader.text(&child)?;
        if slot.is_none() {
            *slot = Some(text.into_owned());
        }
    }
    Ok(())
}

// ---- Writing ----

/// An XML namespace declaration: `xmlns="uri"` or `xmlns:prefix="uri"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Namespace {
    /// The prefix, if the model gives one.
    pub prefix: Option<&'static str>,
    /// The namespace URI.
    pub uri: &'static str,
}

/// Appends `value` escaped: the five characters XML reserves, and the line ends (and in an
/// attribute the tab) a parser would otherwise normalize, as character references, so the
/// service reads back exactly what was written: `a\r\nb` would reach it as `a\nb`, in an
/// attribute as `a  b`. botocore escapes `\r` and `\n` only in DeleteObjects and
/// PutBucketLifecycleConfiguration (`escape_xml_payload`), where S3 would otherwise act on
/// another key; a character reference means the same character to every XML parser.
fn push_escaped(out: &mut String, value: &str, attribute: bool) {
    let mut rest = value;
    while let Some(at) = rest.find(['<', '>', '&', '\'', '"', '\r', '\n', '\t']) {
        out.push_str(&rest[..at]);
        let character = rest.as_bytes()[at];
        out.push_str(match character {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'\'' => "&apos;",
            b'"' => "&quot;",
            b'\r' => "&#xD;",
            b'\n' => "&#xA;",
            b'\t' if attribute => "&#x9;",
            // A tab in text is kept: parsers keep it there.
            _ => "\t",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// Builds a document element by element.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    /// A start tag is open: attributes may still be added.
    in_start_tag: bool,
}

impl XmlWriter {
    /// An empty document.
    pub fn new() -> Self {
        XmlWriter::default()
    }

    fn close_start_tag(&mut self) {
        if self.in_start_tag {
            self.out.push('>');
            self.in_start_tag = false;
        }
    }

    /// Opens element `name`, declaring `namespace` on it.
    pub fn start(&mut self, name: &str, namespace: Option<Namespace>) {
        self.close_start_tag();
        self.out.push('<');
        self.out.push_str(name);
        self.in_start_tag = true;
        if let Some(namespace) = namespace {
            match namespace.prefix {
                Some(prefix) => self.attribute(&format!("xmlns:{prefix}"), namespace.uri),
                None => self.attribute("xmlns", namespace.uri),
            }
        }
    }

    /// An attribute of the element just opened.
    pub fn attribute(&mut self, name: &str, value: &str) {
        debug_assert!(self.in_start_tag, "attributes follow a start tag");
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        push_escaped(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Character data, escaped.
    pub fn text(&mut self, text: &str) {
        self.close_start_tag();
        push_escaped(&mut self.out, text, false);
    }

    /// Closes element `name`.
    pub fn end(&mut self, name: &str) {
        self.close_start_tag();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// The document's bytes.
    pub fn finish(mut self) -> Vec<u8> {
        self.close_start_tag();
        self.out.into_bytes()
    }
}

/// A structure or union written as an element.
pub trait XmlWrite {
    /// Writes the value as element `name`, declaring `namespace` on it.
    fn write_xml(&self, writer: &mut XmlWriter, name: &str, namespace: Option<Namespace>);
}

/// A scalar as an element of text.
pub fn write_text<T: ToText + ?Sized>(
    writer: &mut XmlWriter,
    name: &str,
    namespace: Option<Namespace>,
    value: &T,
) {
    writer.start(name, namespace);
    writer.text(&value.to_text());
    writer.end(name);
}

/// A timestamp as an element of text, in `format`.
pub fn write_timestamp(
    writer: &mut XmlWriter,
    name: &str,
    namespace: Option<Namespace>,
    value: &DateTime,
    format: TimestampFormat,
) {
    write_text(writer, name, namespace, &timestamp_text(value, format));
}

/// A blob as an element of base64 text.
pub fn write_blob(writer: &mut XmlWriter, name: &str, namespace: Option<Namespace>, value: &[u8]) {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(value);
    write_text(writer, name, namespace, &encoded);
}

/// A list: in a wrapper element `name` with items named `item_name` (`member` unless the
/// model says otherwise), or, `flattened`, as items named `name` directly.
pub fn write_list<T>(
    writer: &mut XmlWriter,
    name: &str,
    namespace: Option<Namespace>,
    layout: ListLayout,
    items: &[T],
    mut write_item: impl FnMut(&mut XmlWriter, &str, &T),
) {
    match layout {
        ListLayout::Flattened => {
            for item in items {
                write_item(writer, name, item);
            }
        }
        ListLayout::Wrapped(item_name) => {
            writer.start(name, namespace);
            for item in items {
                write_item(writer, item_name, item);
            }
            writer.end(name);
        }
    }
}

/// How a list is laid out in XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListLayout {
    /// In a wrapper element, items named so.
    Wrapped(&'static str),
    /// Items are elements of the enclosing structure, named as the member.
    Flattened,
}

/// A map: entries `<entry><key/><value/></entry>` in a wrapper element `name`, or, flattened,
/// each entry an element `name`. Entries in key order, so that a request is the same on every
/// run.
pub fn write_map<K: AsRef<str>, V>(
    writer: &mut XmlWriter,
    name: &str,
    namespace: Option<Namespace>,
    layout: MapLayout,
    map: &HashMap<K, V>,
    mut write_key: impl FnMut(&mut XmlWriter, &str, &K),
    mut write_value: impl FnMut(&mut XmlWriter, &str, &V),
) {
    let mut entries: Vec<(&K, &V)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
    if !layout.flattened {
        writer.start(name, namespace);
    }
    for (key, value) in entries {
        let entry = if layout.flattened { name } else { "entry" };
        writer.start(entry, None);
        write_key(writer, layout.key, key);
        write_value(writer, layout.value, value);
        writer.end(entry);
    }
    if !layout.flattened {
        writer.end(name);
    }
}

/// How a map is laid out in XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapLayout {
    /// Entries are elements of the enclosing structure, named as the member.
    pub flattened: bool,
    /// The key element's name (`key` unless the model says otherwise).
    pub key: &'static str,
    /// The value element's name (`value` unless the model says otherwise).
    pub value: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Pair {
        name: Option<String>,
        count: Option<i32>,
        tags: Option<Vec<String>>,
        kind: Option<String>,
    }

    impl XmlStructure for Pair {
        const NAME: &'static str = "Pair";

        fn read_attributes(&mut self, element: &Element<'_>) -> Result<(), XmlError> {
            self.kind = element.attribute("xsi:type")?;
            Ok(())
        }

        fn read_member<'a>(
            &mut self,
            reader: &mut XmlReader<'a>,
            child: &Element<'a>,
        ) -> Result<(), XmlError> {
            match child.local_name() {
                b"Name" => self.name = Some(read_string(reader, child)?),
                b"Count" => self.count = Some(read_scalar(reader, child)?),
                b"Tags" => self.tags = Some(read_list(reader, child, read_string)?),
                _ => reader.skip(child)?,
            }
            Ok(())
        }
    }

    fn read(body: &str) -> Result<Pair, XmlError> {
        let mut reader = XmlReader::new(body.as_bytes())?;
        let root = reader.root()?;
        read_structure(&mut reader, &root)
    }

    #[test]
    fn members_attributes_and_unknown_elements() {
        let pair = read(
            r#"<?xml version="1.0"?><!-- c --><p:Pair xmlns:p="urn:x" xmlns:x="urn:y" x:type="T">
                <p:Name>a &amp; b&#x21;<![CDATA[<c>]]></p:Name>
                <Other><Deep><Deeper/></Deep></Other>
                <Count> 42 </Count>
                <Tags><member>x</member><item>y</item><member/></Tags>
            </p:Pair>"#,
        )
        .unwrap();
        assert_eq!(
            pair,
            Pair {
                name: Some("a & b!<c>".into()),
                count: Some(42),
                tags: Some(vec!["x".into(), "y".into(), String::new()]),
                kind: Some("T".into()),
            }
        );
    }

    #[test]
    fn line_ends_are_normalized() {
        let pair = read("<Pair><Name>a\r\nb\rc</Name></Pair>").unwrap();
        assert_eq!(pair.name.as_deref(), Some("a\nb\nc"));
    }

    #[test]
    fn hostile_documents_are_errors() {
        let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><Pair><Name>&lol2;</Name></Pair>"#;
        let cases: [(&[u8], &str); 6] = [
            (deep.as_bytes(), "deeper"),
            (bomb.as_bytes(), "document type"),
            (b"<Pair><Name>&lol;</Name></Pair>", "unknown entity"),
            (b"<Pair><Name>\xff\xfe</Name></Pair>", "not UTF-8"),
            (b"<Pair><Name>abc</Name>", "ends inside"),
            (b"<Pair><Name>abc</Nome></Pair>", ""),
        ];
        for (body, expected) in cases {
            let mut reader = match XmlReader::new(body) {
                Ok(reader) => reader,
                Err(error) => {
                    assert!(error.to_string().contains(expected), "{error}");
                    continue;
                }
            };
            let result = reader
                .root()
                .and_then(|root| read_structure::<Pair>(&mut reader, &root));
            let error = result.expect_err("refused");
            assert!(error.to_string().contains(expected), "{error}");
        }
    }

    #[test]
    fn a_huge_start_tag_is_refused_anywhere() {
        let mut attribute = String::from("junk=\"");
        attribute.push_str(&"x".repeat(10 << 20));
        attribute.push('"');
        for body in [
            format!("<Pair {attribute}><Name>n</Name></Pair>"),
            format!("<Pair><Name {attribute}>n</Name></Pair>"),
            format!("<Pair><Unknown {attribute}/><Name>n</Name></Pair>"),
        ] {
            let error = read(&body).expect_err("refused").to_string();
            assert!(error.contains("past the limit of 65536"), "{error}");
        }
        let attributes: String = (0..100).map(|i| format!("a{i}=\"b\" ")).collect();
        let ordinary = format!("<Pair {attributes}><Name>n</Name></Pair>");
        assert_eq!(read(&ordinary).unwrap().name.as_deref(), Some("n"));
    }

    #[test]
    fn error_fields_of_every_protocol() {
        let query = br#"<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>none</Message></Error><RequestId>r1</RequestId></ErrorResponse>"#;
        let ec2 = br#"<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>m</Message></Error></Errors><RequestID>r2</RequestID></Response>"#;
        let s3 = br#"<Error><Code>NoSuchKey</Code><Message>k</Message><RequestId>r3</RequestId></Error>"#;
        let fields = error_fields(query).unwrap();
        assert_eq!(fields.code.as_deref(), Some("NoSuchEntity"));
        assert_eq!(fields.fault.as_deref(), Some("Sender"));
        assert_eq!(fields.request_id.as_deref(), Some("r1"));
        let fields = error_fields(ec2).unwrap();
        assert_eq!(fields.code.as_deref(), Some("InvalidVpcID.NotFound"));
        assert_eq!(fields.request_id.as_deref(), Some("r2"));
        let fields = error_fields(s3).unwrap();
        assert_eq!(fields.code.as_deref(), Some("NoSuchKey"));
        assert_eq!(fields.message.as_deref(), Some("k"));
    }

    #[test]
    fn writing_escapes_and_declares_namespaces() {
        let mut writer = XmlWriter::new();
        writer.start(
            "Root",
            Some(Namespace {
                prefix: None,
                uri: "https://x/",
            }),
        );
        writer.attribute("a", "1 \"2\"\t\n");
        write_text(&mut writer, "Name", None, "<&>'\r\n\t");
        let mut map = HashMap::new();
        map.insert("b".to_owned(), "2".to_owned());
        map.insert("a".to_owned(), "1".to_owned());
        write_map(
            &mut writer,
            "M",
            None,
            MapLayout {
                flattened: false,
                key: "key",
                value: "value",
            },
            &map,
            |writer, name, key| write_text(writer, name, None, key),
            |writer, name, value| write_text(writer, name, None, value),
        );
        writer.end("Root");
        assert_eq!(
            String::from_utf8(writer.finish()).unwrap(),
            "<Root xmlns=\"https://x/\" a=\"1 &quot;2&quot;&#x9;&#xA;\"><Name>&lt;&amp;&gt;&apos;&#xD;&#xA;\t</Name><M><entry><key>a</key><value>1</value></entry><entry><key>b</key><value>2</value></entry></M></Root>"
        );
    }
}
