//! The JSON form of every type: the bodies of the rest-json and awsJson protocols, and the
//! `serde` form of generated types.
//!
//! Each member is written and read through a [`Format`]: a zero-sized type that knows the wire
//! form of one Rust type (plain serde, a float that may be `"NaN"`, a base64 blob, a timestamp in
//! one of three encodings, or a list or map of those). Generated impls stay one line per member,
//! and nothing here is monomorphized until a caller picks a serializer.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::error::{BuildError, DecodeError};
use crate::http::HttpResponse;
use crate::{DateTime, Document, UnknownMember};

/// Names types for the compiler without owning values of them (and stays `Send + Sync`).
type Marker<T> = PhantomData<fn() -> T>;

/// The wire form of a `T` in a JSON body.
///
/// Generated code calls the provided methods through the format type, which reads as
/// `json::Plain::read_member(map)` and lets the compiler infer `T` from the field.
pub trait Format<T>: Sized {
    /// Writes a value.
    fn write<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads a value.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;

    /// Writes `key: value` when the member is set.
    fn write_member<M: SerializeMap>(
        map: &mut M,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => map.serialize_entry(key, &With::<Self, T>::new(value)),
            None => Ok(()),
        }
    }

    /// Reads the current member's value; `null` reads as `None`.
    fn read_member<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<T>, A::Error> {
        map.next_value_seed(OptionSeed::<Self, T>(PhantomData))
    }

    /// Writes a union as its one member, `key`.
    fn write_union<S: Serializer>(serializer: S, key: &str, value: &T) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(key, &With::<Self, T>::new(value))?;
        map.end()
    }

    /// Reads the next list item onto `items` (a `null` item is skipped); `false` at the end
    /// of the list.
    fn read_item<'de, A: SeqAccess<'de>>(
        seq: &mut A,
        items: &mut Vec<T>,
    ) -> Result<bool, A::Error> {
        let Some(item) = seq.next_element_seed(OptionSeed::<Self, T>(PhantomData))? else {
            return Ok(false);
        };
        if let Some(item) = item {
            reserve_one(items);
            items.push(item);
        }
        Ok(true)
    }

    /// Reads the current map value into `entries` under `key` (a `null` value is skipped).
    fn read_entry<'de, A: MapAccess<'de>, K: Eq + Hash>(
        map: &mut A,
        entries: &mut HashMap<K, T>,
        key: K,
    ) -> Result<(), A::Error> {
        if let Some(value) = map.next_value_seed(OptionSeed::<Self, T>(PhantomData))? {
            entries.insert(key, value);
        }
        Ok(())
    }
}

/// Room for one more item. `Vec` grows to four items at once; lists of large structures are
/// mostly shorter, and four of them can pass 1 KiB, where a malloc (glibc's) takes its slow path.
fn reserve_one<T>(items: &mut Vec<T>) {
    if items.len() == items.capacity() && size_of::<T>() > 256 {
        items.reserve_exact(items.len().max(1));
    }
}

/// The type's own serde form: strings, integers, booleans, documents, structures, enums, unions.
#[derive(Debug)]
pub enum Plain {}

impl<T: Serialize + for<'de> Deserialize<'de>> Format<T> for Plain {
    fn write<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

/// Structures held directly by a structure, or as list items or map values. Written as
/// [`Plain`] is; read in place, into the structure, list or map that holds them
/// ([`Structure::read_into`]), rather than built apart and moved in: structures can be
/// kilobytes, and each move copies all of it.
#[derive(Debug)]
pub enum Structure {}

impl<T: JsonStructure + Serialize> Format<T> for Structure {
    fn write<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        read_structure(deserializer)
    }

    fn read_item<'de, A: SeqAccess<'de>>(
        seq: &mut A,
        items: &mut Vec<T>,
    ) -> Result<bool, A::Error> {
        seq.next_element_seed(InPlace(items, PhantomData))
            .map(|item| item.is_some())
    }

    fn read_entry<'de, A: MapAccess<'de>, K: Eq + Hash>(
        map: &mut A,
        entries: &mut HashMap<K, T>,
        key: K,
    ) -> Result<(), A::Error> {
        map.next_value_seed(InPlace(Entry { entries, key }, PhantomData))
    }
}

impl Structure {
    /// Reads the current member's value into `slot`: `null` empties it, an object replaces
    /// what it held with the members read.
    pub fn read_into<'de, T: JsonStructure, A: MapAccess<'de>>(
        map: &mut A,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        map.next_value_seed(InPlace(slot, PhantomData))
    }
}

/// Where a structure read in place goes: a member's `Option`, a list's next item, a map's
/// entry. One seed ([`InPlace`]) reads into any of them.
trait Place<'a, T> {
    /// The structure to fill with the object's members, ready for them.
    fn prepare(self) -> Option<&'a mut T>;
    /// What a `null` leaves here.
    fn null(self);
}

/// A member: `null` empties it; an object replaces what it held.
impl<'a, T: Default> Place<'a, T> for &'a mut Option<T> {
    fn prepare(self) -> Option<&'a mut T> {
        Some(self.insert(T::default()))
    }

    fn null(self) {
        *self = None;
    }
}

/// A list: an object is pushed onto it; a `null` item is skipped.
impl<'a, T: Default> Place<'a, T> for &'a mut Vec<T> {
    fn prepare(self) -> Option<&'a mut T> {
        reserve_one(self);
        self.push(T::default());
        self.last_mut()
    }

    fn null(self) {}
}

/// A map's entry: an object replaces the value of an earlier duplicate key whole, as
/// `HashMap::insert` does; a `null` value is skipped.
struct Entry<'a, K, T> {
    entries: &'a mut HashMap<K, T>,
    key: K,
}

impl<'a, K: Eq + Hash, T: Default> Place<'a, T> for Entry<'a, K, T> {
    fn prepare(self) -> Option<&'a mut T> {
        Some(
            self.entries
                .entry(self.key)
                .insert_entry(T::default())
                .into_mut(),
        )
    }

    fn null(self) {}
}

/// Reads a structure, or `null`, into its [`Place`].
struct InPlace<P, T>(P, Marker<T>);

impl<'a, 'de, P: Place<'a, T>, T: JsonStructure + 'a> DeserializeSeed<'de> for InPlace<P, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'a, 'de, P: Place<'a, T>, T: JsonStructure + 'a> Visitor<'de> for InPlace<P, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object or null", T::NAME)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.0.null();
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.0.prepare() {
            Some(value) => deserializer.deserialize_map(FillVisitor(value)),
            None => Ok(()),
        }
    }
}

/// Reads an object's members into a structure.
struct FillVisitor<'a, T>(&'a mut T);

impl<'de, T: JsonStructure> Visitor<'de> for FillVisitor<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(MemberName(key)) = map.next_key()? {
            self.0.read_member(&key, &mut map)?;
        }
        Ok(())
    }
}

/// The serde newtype name that asks a binary serializer (CBOR) to tag a value as epoch seconds
/// (tag 1); JSON serializers write the value as it is.
pub const EPOCH_SECONDS_NEWTYPE: &str = "$botocore_runtime::epoch_seconds";

/// Floats and doubles: JSON has no NaN or infinities, so AWS sends them as strings; a binary
/// format (CBOR) writes them as they are.
#[derive(Debug)]
pub enum Float {}

impl Format<f64> for Float {
    fn write<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return serializer.serialize_f64(*value);
        }
        match *value {
            v if v.is_nan() => serializer.serialize_str("NaN"),
            v if v == f64::INFINITY => serializer.serialize_str("Infinity"),
            v if v == f64::NEG_INFINITY => serializer.serialize_str("-Infinity"),
            v => serializer.serialize_f64(v),
        }
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

impl Format<f32> for Float {
    fn write<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return serializer.serialize_f32(*value);
        }
        match *value {
            // `4.2f32` is written `4.2`, not as the f64 `4.199999809265137`.
            v if v.is_finite() => serializer.serialize_f32(v),
            v => <Float as Format<f64>>::write(&f64::from(v), serializer),
        }
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
        <Float as Format<f64>>::read(deserializer).map(|value| value as f32)
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<f64, E> {
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<f64, E> {
        match value {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }
}

/// Blobs: base64 (standard alphabet, padded) in a JSON string; a byte string in a binary
/// format (CBOR).
#[derive(Debug)]
pub enum Blob {}

impl Format<Vec<u8>> for Blob {
    fn write<S: Serializer>(value: &Vec<u8>, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        if !serializer.is_human_readable() {
            return serializer.serialize_bytes(value);
        }
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(value))
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_str(BlobVisitor)
        } else {
            deserializer.deserialize_byte_buf(BlobVisitor)
        }
    }
}

struct BlobVisitor;

impl Visitor<'_> for BlobVisitor {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base64 string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Vec<u8>, E> {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(value)
            .map_err(|error| E::custom(format_args!("invalid base64: {error}")))
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<Vec<u8>, E> {
        Ok(value.to_vec())
    }

    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<Vec<u8>, E> {
        Ok(value)
    }
}

/// Timestamps as seconds since the epoch, with a fraction (the JSON body default); in a binary
/// format (CBOR), tagged as epoch seconds, whatever format the model names.
#[derive(Debug)]
pub enum EpochSeconds {}

/// Epoch seconds as a number: whole seconds as an integer, else as the closest double.
struct EpochNumber<'a>(&'a DateTime);

impl Serialize for EpochNumber<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.0;
        let seconds = value.unix_timestamp();
        match value.nanosecond() {
            0 => serializer.serialize_i64(seconds),
            // Written through the decimal text so that `.123` stays `.123`, not `.12299990`.
            _ => serializer.serialize_f64(
                crate::time::epoch_seconds_text(value)
                    .parse()
                    .unwrap_or(seconds as f64),
            ),
        }
    }
}

impl Format<DateTime> for EpochSeconds {
    fn write<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            EpochNumber(value).serialize(serializer)
        } else {
            serializer.serialize_newtype_struct(EPOCH_SECONDS_NEWTYPE, &EpochNumber(value))
        }
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }
}

/// A timestamp as a number of epoch seconds or as text in any form.
struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<DateTime, E> {
        DateTime::from_unix_timestamp(value).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<DateTime, E> {
        let value = i64::try_from(value).map_err(E::custom)?;
        self.visit_i64(value)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<DateTime, E> {
        crate::time::epoch_seconds_from_f64(value)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(value), &self))
    }

    /// Like botocore, accept the timestamp as text too, in any form (some services and
    /// emulators send `"2023-11-14T22:13:20.123000+00:00"`).
    fn visit_str<E: de::Error>(self, value: &str) -> Result<DateTime, E> {
        crate::time::parse_any_timestamp(value)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(value), &self))
    }
}

/// Timestamps as RFC 3339 text (`timestampFormat: iso8601`).
#[derive(Debug)]
pub enum Iso8601 {}

impl Format<DateTime> for Iso8601 {
    fn write<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return EpochSeconds::write(value, serializer);
        }
        serializer.serialize_str(&crate::time::format_iso8601(value))
    }

    /// Any form, as [`EpochSeconds`] reads it: botocore reads every form whatever the model
    /// declares, and a service that sends another must not fail the whole response.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        EpochSeconds::read(deserializer)
    }
}

/// Timestamps as HTTP dates (`timestampFormat: rfc822`).
#[derive(Debug)]
pub enum HttpDate {}

impl Format<DateTime> for HttpDate {
    fn write<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return EpochSeconds::write(value, serializer);
        }
        serializer.serialize_str(&crate::time::format_http_date(value))
    }

    /// Any form, as [`EpochSeconds`] reads it: botocore reads every form whatever the model
    /// declares, and a service that sends another must not fail the whole response.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        EpochSeconds::read(deserializer)
    }
}

/// A list whose items use format `F`. `null` items are skipped when reading, as AWS SDKs do
/// for lists that are not sparse.
#[derive(Debug)]
pub struct List<F>(PhantomData<F>);

impl<T, F: Format<T>> Format<Vec<T>> for List<F> {
    fn write<S: Serializer>(value: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(value.len()))?;
        for item in value {
            seq.serialize_element(&With::<F, T>::new(item))?;
        }
        seq.end()
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_seq(ListVisitor::<F, T>(PhantomData))
    }
}

struct ListVisitor<F, T>(Marker<(F, T)>);

impl<'de, T, F: Format<T>> Visitor<'de> for ListVisitor<F, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while F::read_item(&mut seq, &mut items)? {}
        Ok(items)
    }
}

/// A map with string (or enum) keys whose values use format `F`; `null` values are skipped.
#[derive(Debug)]
pub struct Map<F>(PhantomData<F>);

impl<K, V, F> Format<HashMap<K, V>> for Map<F>
where
    K: Eq + Hash + AsRef<str> + for<'a> From<&'a str>,
    F: Format<V>,
{
    fn write<S: Serializer>(value: &HashMap<K, V>, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(value.len()))?;
        for (key, item) in value {
            map.serialize_entry(key.as_ref(), &With::<F, V>::new(item))?;
        }
        map.end()
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<HashMap<K, V>, D::Error> {
        deserializer.deserialize_map(MapVisitor::<F, K, V>(PhantomData))
    }
}

struct MapVisitor<F, K, V>(Marker<(F, K, V)>);

impl<'de, K, V, F> Visitor<'de> for MapVisitor<F, K, V>
where
    K: Eq + Hash + for<'a> From<&'a str>,
    F: Format<V>,
{
    type Value = HashMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HashMap<K, V>, A::Error> {
        let mut entries = HashMap::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(Key(key)) = map.next_key()? {
            F::read_entry(&mut map, &mut entries, K::from(&key))?;
        }
        Ok(entries)
    }
}

/// Serializes a borrowed value with format `F`.
#[derive(Debug)]
pub struct With<'a, F, T>(&'a T, PhantomData<F>);

impl<'a, F, T> With<'a, F, T> {
    /// Borrows `value` to serialize it with format `F`.
    pub fn new(value: &'a T) -> Self {
        With(value, PhantomData)
    }
}

impl<F: Format<T>, T> Serialize for With<'_, F, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        F::write(self.0, serializer)
    }
}

/// Reads an optional value with format `F`: `null` is `None`.
struct OptionSeed<F, T>(Marker<(F, T)>);

impl<'de, F: Format<T>, T> DeserializeSeed<'de> for OptionSeed<F, T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, F: Format<T>, T> Visitor<'de> for OptionSeed<F, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        F::read(deserializer).map(Some)
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map key")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value)))
    }
}

/// A member name, as bytes: it is only compared with the names the model knows, so it need not
/// be checked for UTF-8 first (serde_json hands out the raw bytes of a string for
/// `deserialize_bytes`). Borrowed from the input when it has no escapes.
struct MemberName<'de>(Cow<'de, [u8]>);

impl<'de> Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_bytes(MemberNameVisitor)
    }
}

struct MemberNameVisitor;

impl<'de> Visitor<'de> for MemberNameVisitor {
    type Value = MemberName<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<MemberName<'de>, E> {
        Ok(MemberName(Cow::Borrowed(value)))
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<MemberName<'de>, E> {
        Ok(MemberName(Cow::Owned(value.to_owned())))
    }

    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<MemberName<'de>, E> {
        Ok(MemberName(Cow::Owned(value)))
    }

    // Deserializers other than serde_json's (a `serde_json::Value`, say) give names as strings.
    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<MemberName<'de>, E> {
        Ok(MemberName(Cow::Borrowed(value.as_bytes())))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<MemberName<'de>, E> {
        Ok(MemberName(Cow::Owned(value.as_bytes().to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<MemberName<'de>, E> {
        Ok(MemberName(Cow::Owned(value.into_bytes())))
    }
}

/// Skips the value of a member this type does not know.
pub fn skip_member<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// A structure read member by member into its `Default` value, so that a response missing a
/// `required` member still parses (services do send such responses).
pub trait JsonStructure: Default {
    /// The model's name of the shape, for error messages.
    const NAME: &'static str;

    /// Stores the value of member `key` (its wire name), or skips it when the member is unknown.
    fn read_member<'de, A: MapAccess<'de>>(
        &mut self,
        key: &[u8],
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// Reads a structure from its JSON object.
pub fn read_structure<'de, T: JsonStructure, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(StructureVisitor::<T>(PhantomData))
}

struct StructureVisitor<T>(Marker<T>);

impl<'de, T: JsonStructure> Visitor<'de> for StructureVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let mut value = T::default();
        FillVisitor(&mut value).visit_map(map)?;
        Ok(value)
    }
}

/// A tagged union: an object with exactly one member set. `null` members and the `__type`
/// key do not count, as in botocore.
pub trait JsonUnion: Sized {
    /// The model's name of the shape, for error messages.
    const NAME: &'static str;

    /// Reads member `key` (an unknown one keeps its name); `None` when its value is null.
    fn read_member<'de, A: MapAccess<'de>>(
        key: &[u8],
        map: &mut A,
    ) -> Result<Option<Self>, A::Error>;
}

/// Reads a union from its JSON object, which must set exactly one member.
pub fn read_union<'de, T: JsonUnion, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(UnionVisitor::<T>(PhantomData))
}

struct UnionVisitor<T>(Marker<T>);

impl<'de, T: JsonUnion> Visitor<'de> for UnionVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object with exactly one member set", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut found: Option<(MemberName<'de>, T)> = None;
        while let Some(key) = map.next_key::<MemberName<'de>>()? {
            if *key.0 == *b"__type" {
                skip_member(&mut map)?;
                continue;
            }
            let Some(value) = T::read_member(&key.0, &mut map)? else {
                continue;
            };
            if let Some((first, _)) = &found {
                return Err(de::Error::custom(format_args!(
                    "{}: members `{}` and `{}` are both set, but a union has exactly one",
                    T::NAME,
                    String::from_utf8_lossy(&first.0),
                    String::from_utf8_lossy(&key.0),
                )));
            }
            found = Some((key, value));
        }
        match found {
            Some((_, value)) => Ok(value),
            None => Err(de::Error::custom(format_args!(
                "{}: no member is set, but a union has exactly one",
                T::NAME
            ))),
        }
    }
}

/// Reads a member the union does not know, keeping its name and raw value.
pub fn read_unknown_member<'de, A: MapAccess<'de>>(
    key: &[u8],
    map: &mut A,
) -> Result<Option<UnknownMember>, A::Error> {
    let name = std::str::from_utf8(key).map_err(|_| {
        de::Error::invalid_value(de::Unexpected::Bytes(key), &"a UTF-8 member name")
    })?;
    let value: Option<Document> = Plain::read_member(map)?;
    Ok(value.map(|value| UnknownMember::new(name, value)))
}

/// Reads an enum from its string; values the model does not know are kept.
pub fn read_enum<'de, T: for<'a> From<&'a str>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(EnumVisitor::<T>(PhantomData))
}

struct EnumVisitor<T>(Marker<T>);

impl<T: for<'a> From<&'a str>> Visitor<'_> for EnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }
}

// ---- Bodies ----

/// A JSON body, or the default value when the body is empty.
pub fn read_body<T: serde::de::DeserializeOwned + Default>(
    response: &HttpResponse,
) -> Result<T, DecodeError> {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    from_json(response)
}

/// Reads the body as JSON. JSON text is UTF-8: the body is checked once, as a whole, so that
/// serde_json need not check each string in it again. serde_json stops at 128 levels of
/// nesting, so a hostile body cannot overflow the stack.
fn from_json<T: serde::de::DeserializeOwned>(response: &HttpResponse) -> Result<T, DecodeError> {
    parse_json(&response.body, "body").map_err(|error| DecodeError::new(response, error))
}

/// `bytes` (a `what`: a body, an event's payload) as JSON, UTF-8 checked once as a whole.
fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, String> {
    let text =
        std::str::from_utf8(bytes).map_err(|error| format!("the {what} is not UTF-8: {error}"))?;
    serde_json::from_str(text).map_err(|error| error.to_string())
}

/// The body of an error response: like [`read_body`], but a body that does not decode gives the
/// default value, so the error keeps its code and status.
pub fn read_error_body<T: serde::de::DeserializeOwned + Default>(response: &HttpResponse) -> T {
    read_body(response).unwrap_or_default()
}

/// A body bound to one member (`payload`) that is itself JSON: absent when the body is empty.
pub fn read_payload<T: serde::de::DeserializeOwned>(
    response: &HttpResponse,
) -> Result<Option<T>, DecodeError> {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    from_json(response).map(Some)
}

/// The payload of an event-stream message as a structure: its body members, or the default
/// value when the payload is empty (botocore reads an empty payload as `{}`).
pub fn read_event<T: serde::de::DeserializeOwned + Default>(
    message: &crate::event_stream::Message,
) -> Result<T, crate::event_stream::EventDecodeError> {
    let payload = message.payload();
    if payload.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    parse_json(payload, "payload").map_err(crate::event_stream::EventDecodeError::new)
}

/// The payload of an event of a type the model does not list, as a JSON value if it is one
/// (`null` otherwise): kept with the event's name.
pub fn read_event_document(message: &crate::event_stream::Message) -> crate::Document {
    serde_json::from_slice(message.payload()).unwrap_or(crate::Document::Null)
}

/// Serializes a body, naming the operation when a value cannot be written.
pub fn to_body<T: serde::Serialize + ?Sized>(
    operation: &'static str,
    value: &T,
) -> Result<Vec<u8>, BuildError> {
    serde_json::to_vec(value).map_err(|error| BuildError::new(operation, error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every double written as its shortest decimal (what AWS and Python write) reads back as
    /// the same bits, as Python's `float` reads it.
    #[test]
    fn doubles_read_back_exactly() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let values: Vec<f64> = (0..20_000)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                match i % 4 {
                    // Any finite bit pattern.
                    0 => f64::from_bits(state & !(0x7ff << 52) | (state % 0x7fe) << 52),
                    // Metric-like values: a few digits before and many after the point.
                    1 => (state >> 11) as f64 / (1u64 << 53) as f64 * 1e4,
                    2 => (state >> 11) as f64 / 1e9,
                    _ => (state % 1_000_000) as f64 / 1000.0,
                }
            })
            .collect();
        let text = format!(
            "[{}]",
            values
                .iter()
                .map(f64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        );
        let response = HttpResponse::new(200, text.into_bytes());
        let read: Vec<f64> = read_body(&response).unwrap();
        let misread = values
            .iter()
            .zip(&read)
            .filter(|(a, b)| a.to_bits() != b.to_bits())
            .count();
        assert_eq!((read.len(), misread), (values.len(), 0));
    }

    /// A small structure read through `Structure`, as generated code reads one.
    #[derive(Debug, Default, PartialEq)]
    struct Pair {
        name: Option<String>,
        size: Option<i64>,
    }

    /// Not written by these tests; `Structure` asks for it.
    impl Serialize for Pair {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_unit()
        }
    }

    impl JsonStructure for Pair {
        const NAME: &'static str = "Pair";

        fn read_member<'de, A: MapAccess<'de>>(
            &mut self,
            key: &[u8],
            map: &mut A,
        ) -> Result<(), A::Error> {
            match key {
                b"name" => self.name = Plain::read_member(map)?,
                b"size" => self.size = Plain::read_member(map)?,
                _ => skip_member(map)?,
            }
            Ok(())
        }
    }

    fn pair(name: &str, size: Option<i64>) -> Pair {
        Pair {
            name: Some(name.to_owned()),
            size,
        }
    }

    /// Structures read in place into lists and maps read as values built apart would: `null`
    /// items and values are skipped, and a repeated key's value replaces the earlier one
    /// whole (its members are not merged into it).
    #[test]
    fn structures_in_lists_and_maps_read_in_place() {
        let mut de = serde_json::Deserializer::from_str(
            r#"[{"name":"a","size":1}, null, {"name":"b"}, {}]"#,
        );
        let list: Vec<Pair> = List::<Structure>::read(&mut de).unwrap();
        assert_eq!(
            list,
            vec![pair("a", Some(1)), pair("b", None), Pair::default()]
        );

        let mut de = serde_json::Deserializer::from_str(
            r#"{"x":{"name":"a","size":1}, "y":null, "x":{"name":"c"}, "z":{"size":2}}"#,
        );
        let map: HashMap<String, Pair> = Map::<Structure>::read(&mut de).unwrap();
        let expected = HashMap::from([
            ("x".to_owned(), pair("c", None)),
            (
                "z".to_owned(),
                Pair {
                    name: None,
                    size: Some(2),
                },
            ),
        ]);
        assert_eq!(map, expected);

        let mut de = serde_json::Deserializer::from_str(r#"[{"name":"a"}, 3]"#);
        let error = <List<Structure> as Format<Vec<Pair>>>::read(&mut de).unwrap_err();
        assert!(error.to_string().contains("a Pair object"), "{error}");
    }

    /// A timestamp member reads in any form botocore reads, whatever format its model names.
    #[test]
    fn timestamps_read_in_any_form() {
        let whole = DateTime::from_unix_timestamp(1_700_000_000).unwrap();
        for text in [
            "1700000000",
            r#""1700000000""#,
            r#""2023-11-14T22:13:20+0000""#,
            r#""2023-11-14T22:13:20""#,
            r#""Tue, 14 Nov 2023 22:13:20 GMT""#,
        ] {
            let read = |format: fn(&mut serde_json::Deserializer<_>) -> Result<DateTime, _>| {
                format(&mut serde_json::Deserializer::from_str(text))
            };
            assert_eq!(read(|de| Iso8601::read(de)).ok(), Some(whole), "{text}");
            assert_eq!(read(|de| HttpDate::read(de)).ok(), Some(whole), "{text}");
            assert_eq!(
                read(|de| EpochSeconds::read(de)).ok(),
                Some(whole),
                "{text}"
            );
        }
        let mut de = serde_json::Deserializer::from_str(r#""last tuesday""#);
        let error = Iso8601::read(&mut de).unwrap_err();
        assert!(error.to_string().contains("a timestamp"), "{error}");
    }
}
