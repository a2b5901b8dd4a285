//! CBOR bodies (smithy-rpc-v2-cbor): a serde serializer and deserializer on minicbor's
//! token-level encoder and decoder, so that generated types have one serde form for both JSON
//! and CBOR. The formats of [`json`](crate::json) ask
//! [`is_human_readable`](serde::Serializer::is_human_readable) to tell the two apart: CBOR
//! blobs are byte strings, floats stay binary (NaN and infinities as half floats), and
//! timestamps are tag 1 around their epoch seconds.
//!
//! The reader is written for hostile input: every length is checked against the bytes left
//! before anything is read or allocated, nesting stops at [`MAX_DEPTH`] levels, text must be
//! UTF-8, and the only tag it accepts is 1 (epoch seconds), as botocore accepts.

use std::fmt;

use minicbor::{Decoder, Encoder};
use serde::de::{self, DeserializeSeed, Visitor};
use serde::ser::{self, Serialize};

/// The serde newtype name of a timestamp: the serializer writes tag 1 before the value.
pub use crate::json::EPOCH_SECONDS_NEWTYPE;

/// How deep arrays, maps and tags may nest in a body.
pub const MAX_DEPTH: usize = 128;

/// A value that cannot be written as CBOR, or a body that is not the CBOR expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

fn decode_error(error: minicbor::decode::Error) -> Error {
    Error(format!("invalid CBOR: {error}"))
}

/// Writes a value as CBOR.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    let mut serializer = Serializer {
        encoder: Encoder::new(Vec::new()),
    };
    value.serialize(&mut serializer)?;
    Ok(serializer.encoder.into_writer())
}

/// Reads a value from a whole CBOR body; bytes after the value are an error.
pub fn from_slice<'de, T: de::Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, Error> {
    let mut deserializer = Deserializer {
        decoder: Decoder::new(bytes),
        depth: 0,
    };
    let value = T::deserialize(&mut deserializer)?;
    if deserializer.decoder.position() != bytes.len() {
        return Err(Error(format!(
            "{} bytes after the value",
            bytes.len() - deserializer.decoder.position()
        )));
    }
    Ok(value)
}

// ---- Writing ----

struct Serializer {
    encoder: Encoder<Vec<u8>>,
}

/// Writing into a `Vec` cannot fail; the encoder's error type says it could.
fn write<T>(
    result: Result<T, minicbor::encode::Error<std::convert::Infallible>>,
) -> Result<(), Error> {
    result
        .map(drop)
        .map_err(|error| Error(format!("cannot write CBOR: {error}")))
}

impl Serializer {
    /// NaN and infinities as half floats, as botocore and smithy write them.
    fn special_float(&mut self, value: f64) -> Result<(), Error> {
        write(self.encoder.f16(value as f32))
    }
}

impl<'a> ser::Serializer for &'a mut Serializer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        write(self.encoder.bool(value))
    }

    fn serialize_i8(self, value: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i16(self, value: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i32(self, value: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i64(self, value: i64) -> Result<(), Error> {
        write(self.encoder.i64(value))
    }

    fn serialize_u8(self, value: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u16(self, value: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u32(self, value: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u64(self, value: u64) -> Result<(), Error> {
        write(self.encoder.u64(value))
    }

    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        if value.is_finite() {
            write(self.encoder.f32(value))
        } else {
            self.special_float(f64::from(value))
        }
    }

    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        if value.is_finite() {
            write(self.encoder.f64(value))
        } else {
            self.special_float(value)
        }
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        self.serialize_str(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        write(self.encoder.str(value))
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Error> {
        write(self.encoder.bytes(value))
    }

    fn serialize_none(self) -> Result<(), Error> {
        write(self.encoder.null())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        write(self.encoder.null())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if name == EPOCH_SECONDS_NEWTYPE {
            write(self.encoder.tag(minicbor::data::Tag::new(1)))?;
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        write(self.encoder.map(1))?;
        self.serialize_str(variant)?;
        value.serialize(self)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a>, Error> {
        match len {
            Some(len) => write(self.encoder.array(len as u64))?,
            None => write(self.encoder.begin_array())?,
        }
        Ok(Compound {
            serializer: self,
            indefinite: len.is_none(),
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        write(self.encoder.map(1))?;
        self.serialize_str(variant)?;
        self.serialize_seq(Some(len))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a>, Error> {
        match len {
            Some(len) => write(self.encoder.map(len as u64))?,
            None => write(self.encoder.begin_map())?,
        }
        Ok(Compound {
            serializer: self,
            indefinite: len.is_none(),
        })
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        write(self.encoder.map(1))?;
        self.serialize_str(variant)?;
        self.serialize_map(Some(len))
    }
}

/// An array or a map being written; an indefinite one ends with a break.
struct Compound<'a> {
    serializer: &'a mut Serializer,
    indefinite: bool,
}

impl Compound<'_> {
    fn finish(self) -> Result<(), Error> {
        if self.indefinite {
            write(self.serializer.encoder.end())?;
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.serializer)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.serializer)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.serializer)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.serializer)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(&mut *self.serializer)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.serializer)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.serializer.serialize_str_key(key)?;
        value.serialize(&mut *self.serializer)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.serializer.serialize_str_key(key)?;
        value.serialize(&mut *self.serializer)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl Serializer {
    fn serialize_str_key(&mut self, key: &str) -> Result<(), Error> {
        write(self.encoder.str(key))
    }
}

// ---- Reading ----

/// What an item is, as its initial byte (major type and additional information, RFC 8949
/// section 3) says. The reader chooses its path on this and leaves the decoding, with every
/// check, to minicbor; minicbor's own `datatype` also measures the item, which made it a
/// third of all decoding time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Bytes,
    BytesIndefinite,
    Text,
    TextIndefinite,
    Array,
    Map,
    Tag,
    Bool,
    Null,
    Undefined,
    /// Half and single precision, both read as `f32`.
    F32,
    F64,
    Break,
    /// A simple value, a reserved additional information, or an indefinite integer or tag.
    Other(u8),
}

/// [`Kind::of`] every initial byte, looked up instead of worked out on every item.
static KINDS: [Kind; 256] = {
    let mut kinds = [Kind::Break; 256];
    let mut initial = 0;
    while initial < 256 {
        kinds[initial] = Kind::of(initial as u8);
        initial += 1;
    }
    kinds
};

impl Kind {
    const fn of(initial: u8) -> Kind {
        let info = initial & 0x1f;
        match (initial >> 5, info) {
            (_, 28..=30) | (0 | 1 | 6, 31) => Kind::Other(initial),
            (0 | 1, _) => Kind::Integer,
            (2, 31) => Kind::BytesIndefinite,
            (2, _) => Kind::Bytes,
            (3, 31) => Kind::TextIndefinite,
            (3, _) => Kind::Text,
            (4, _) => Kind::Array,
            (5, _) => Kind::Map,
            (6, _) => Kind::Tag,
            (_, 20 | 21) => Kind::Bool,
            (_, 22) => Kind::Null,
            (_, 23) => Kind::Undefined,
            (_, 25 | 26) => Kind::F32,
            (_, 27) => Kind::F64,
            (_, 31) => Kind::Break,
            _ => Kind::Other(initial),
        }
    }

    /// What an error says the item was.
    fn name(self) -> &'static str {
        match self {
            Kind::Integer => "integer",
            Kind::Bytes | Kind::BytesIndefinite => "byte string",
            Kind::Text | Kind::TextIndefinite => "text string",
            Kind::Array => "array",
            Kind::Map => "map",
            Kind::Tag => "tag",
            Kind::Bool => "bool",
            Kind::Null => "null",
            Kind::Undefined => "undefined",
            Kind::F32 | Kind::F64 => "float",
            Kind::Break => "break",
            Kind::Other(_) => "simple or reserved item",
        }
    }
}

struct Deserializer<'de> {
    decoder: Decoder<'de>,
    /// Arrays, maps and tags entered and not yet left.
    depth: usize,
}

impl<'de> Deserializer<'de> {
    fn remaining(&self) -> usize {
        self.decoder.input().len() - self.decoder.position()
    }

    /// What the next item is, from its initial byte alone.
    #[inline]
    fn peek(&self) -> Result<Kind, Error> {
        match self.decoder.input().get(self.decoder.position()) {
            Some(&initial) => Ok(KINDS[usize::from(initial)]),
            None => Err(Error(format!(
                "invalid CBOR: the body ends at byte {} where a value should be",
                self.decoder.position()
            ))),
        }
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    /// An integer of any width, as the smallest serde type that holds it.
    fn integer<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Error> {
        let int = self.decoder.int().map_err(decode_error)?;
        if let Ok(value) = i64::try_from(int) {
            visitor.visit_i64(value)
        } else if let Ok(value) = u64::try_from(int) {
            visitor.visit_u64(value)
        } else {
            Err(Error(format!("the integer {int} does not fit in 64 bits")))
        }
    }

    /// A byte string, borrowed when definite, assembled from its chunks when not.
    fn byte_string<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Error> {
        if self.peek()? == Kind::Bytes {
            let bytes = self.decoder.bytes().map_err(decode_error)?;
            return visitor.visit_borrowed_bytes(bytes);
        }
        let mut bytes = Vec::new();
        for chunk in self.decoder.bytes_iter().map_err(decode_error)? {
            bytes.extend_from_slice(chunk.map_err(decode_error)?);
        }
        visitor.visit_byte_buf(bytes)
    }

    /// A text string, borrowed when definite, assembled from its chunks when not.
    fn text_string<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Error> {
        if self.peek()? == Kind::Text {
            let text = self.decoder.str().map_err(decode_error)?;
            return visitor.visit_borrowed_str(text);
        }
        let mut text = String::new();
        for chunk in self.decoder.str_iter().map_err(decode_error)? {
            text.push_str(chunk.map_err(decode_error)?);
        }
        visitor.visit_string(text)
    }

    fn array<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Error> {
        self.enter()?;
        let len = self.decoder.array().map_err(decode_error)?;
        let value = visitor.visit_seq(Entries {
            deserializer: &mut *self,
            left: len,
        })?;
        self.depth -= 1;
        Ok(value)
    }

    fn map<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Error> {
        self.enter()?;
        let len = self.decoder.map().map_err(decode_error)?;
        let value = visitor.visit_map(Entries {
            deserializer: &mut *self,
            left: len,
        })?;
        self.depth -= 1;
        Ok(value)
    }

    /// Tag 1 (epoch seconds) around a number is read as the number; any other tag is an error.
    fn tagged<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Error> {
        let tag = self.decoder.tag().map_err(decode_error)?;
        if tag.as_u64() != 1 {
            return Err(Error(format!("unexpected CBOR tag {}", tag.as_u64())));
        }
        self.enter()?;
        let value = match self.peek()? {
            Kind::Integer | Kind::F32 | Kind::F64 => {
                de::Deserializer::deserialize_any(&mut *self, visitor)?
            }
            other => {
                return Err(Error(format!(
                    "tag 1 holds a {}, not a number",
                    other.name()
                )));
            }
        };
        self.depth -= 1;
        Ok(value)
    }
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = Error;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.peek()? {
            Kind::Bool => visitor.visit_bool(self.decoder.bool().map_err(decode_error)?),
            Kind::Null => {
                self.decoder.null().map_err(decode_error)?;
                visitor.visit_unit()
            }
            Kind::Undefined => {
                self.decoder.undefined().map_err(decode_error)?;
                visitor.visit_unit()
            }
            Kind::Integer => self.integer(visitor),
            Kind::F32 => visitor.visit_f32(self.decoder.f32().map_err(decode_error)?),
            Kind::F64 => visitor.visit_f64(self.decoder.f64().map_err(decode_error)?),
            Kind::Bytes | Kind::BytesIndefinite => self.byte_string(visitor),
            Kind::Text | Kind::TextIndefinite => self.text_string(visitor),
            Kind::Array => self.array(visitor),
            Kind::Map => self.map(visitor),
            Kind::Tag => self.tagged(visitor),
            Kind::Break => Err(Error("a break where a value should be".to_owned())),
            Kind::Other(initial) => Err(Error(format!(
                "unexpected CBOR item (initial byte {initial:#04x}) at byte {}",
                self.decoder.position()
            ))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.peek()? {
            Kind::Null => {
                self.decoder.null().map_err(decode_error)?;
                visitor.visit_none()
            }
            Kind::Undefined => {
                self.decoder.undefined().map_err(decode_error)?;
                visitor.visit_none()
            }
            _ => visitor.visit_some(self),
        }
    }

    /// Member names are compared as bytes; a text string gives its bytes.
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.peek()? {
            Kind::Text => {
                let text = self.decoder.str().map_err(decode_error)?;
                visitor.visit_borrowed_bytes(text.as_bytes())
            }
            Kind::TextIndefinite => {
                let mut text = String::new();
                for chunk in self.decoder.str_iter().map_err(decode_error)? {
                    text.push_str(chunk.map_err(decode_error)?);
                }
                visitor.visit_byte_buf(text.into_bytes())
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The items of an array, or the entries of a map: `left` of them, or (indefinite) up to the
/// break.
struct Entries<'a, 'de> {
    deserializer: &'a mut Deserializer<'de>,
    left: Option<u64>,
}

impl<'de> Entries<'_, 'de> {
    /// Whether another item follows (the break of an indefinite one is consumed).
    fn has_next(&mut self) -> Result<bool, Error> {
        match &mut self.left {
            Some(0) => Ok(false),
            Some(left) => {
                *left -= 1;
                Ok(true)
            }
            None => {
                if self.deserializer.peek()? == Kind::Break {
                    let decoder = &mut self.deserializer.decoder;
                    decoder.set_position(decoder.position() + 1);
                    Ok(false)
                } else {
                    Ok(true)
                }
            }
        }
    }

    /// A claimed count is a hint only up to what the bytes left could hold.
    fn size_hint(&self) -> Option<usize> {
        self.left.map(|left| {
            usize::try_from(left)
                .unwrap_or(usize::MAX)
                .min(self.deserializer.remaining())
        })
    }
}

impl<'de> de::SeqAccess<'de> for Entries<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if !self.has_next()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.deserializer).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Entries::size_hint(self)
    }
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if !self.has_next()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.deserializer).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(&mut *self.deserializer)
    }

    fn size_hint(&self) -> Option<usize> {
        Entries::size_hint(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn hex(text: &str) -> Vec<u8> {
        let text: String = text.split_whitespace().collect();
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn documents_round_trip() {
        let value = json!({"a": [1, -2, 3.5, "x", true, null], "b": {"c": "d"}});
        let bytes = to_vec(&value).unwrap();
        let back: Value = from_slice(&bytes).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn indefinite_lengths_and_half_floats_are_read() {
        // {_ "a": [_ 1, 2], "b": 1.5 (half)} with an indefinite text string key "c"+"d".
        let bytes = hex("bf6161 9f0102ff 6162 f93e00 7f6163 6164ff f5 ff");
        let value: Value = from_slice(&bytes).unwrap();
        assert_eq!(value, json!({"a": [1, 2], "b": 1.5, "cd": true}));
    }

    #[test]
    fn special_floats_are_half_floats() {
        assert_eq!(to_vec(&f64::NAN).unwrap(), hex("f97e00"));
        assert_eq!(to_vec(&f64::INFINITY).unwrap(), hex("f97c00"));
        assert_eq!(to_vec(&f64::NEG_INFINITY).unwrap(), hex("f9fc00"));
        assert_eq!(to_vec(&1.5f32).unwrap(), hex("fa3fc00000"));
    }

    #[test]
    fn hostile_bodies_are_errors_not_panics() {
        // 10,000 nested arrays.
        let mut deep = vec![0x81; 10_000];
        deep.push(0x01);
        let error = from_slice::<Value>(&deep).unwrap_err();
        assert!(error.to_string().contains("nested deeper"), "{error}");
        // A text string claiming 2^63 bytes.
        let error = from_slice::<Value>(&hex("7b7fffffffffffffff61")).unwrap_err();
        assert!(error.to_string().contains("invalid CBOR"), "{error}");
        // An array claiming a billion items.
        let error = from_slice::<Value>(&hex("9a3b9aca0001")).unwrap_err();
        assert!(error.to_string().contains("invalid CBOR"), "{error}");
        // An unknown tag.
        let error = from_slice::<Value>(&hex("c24101")).unwrap_err();
        assert!(error.to_string().contains("tag 2"), "{error}");
        // Invalid UTF-8 in a text string.
        let error = from_slice::<Value>(&hex("62c328")).unwrap_err();
        assert!(error.to_string().contains("invalid CBOR"), "{error}");
        // Trailing bytes.
        assert!(from_slice::<Value>(&hex("0101")).is_err());
    }
}
