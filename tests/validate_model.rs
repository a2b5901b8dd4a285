//! Model-driven validator tests over every Connect operation input.
//!
//! Inputs are built as JSON from the model itself (`models::Service`), then read into the
//! generated types and validated:
//! - tables: each constrained top-level member at min-1, min, max and max+1 (strings in
//!   multi-byte characters where the pattern allows), asserting exactly which violations appear;
//! - properties: random inputs that satisfy every constraint pass; the same input with one
//!   constraint broken yields exactly one violation, at the right path.
//!
//! The pattern oracle compiles the model's patterns independently of the generated crate.

use std::collections::BTreeMap;

use connect::validate::ViolationKind;
use connect::{Validate, ValidateOptions};
use models::{Location, Service, ShapeId, ShapeKind};
use serde_json::{Map, Value, json};

include!(concat!(env!("OUT_DIR"), "/inputs.rs"));

/// Reads an input and lists its violations as `(path, kind)`.
fn run<T: Validate>(
    options: ValidateOptions,
    build: impl FnOnce() -> Result<T, serde_json::Error>,
) -> Result<Vec<(String, String)>, serde_json::Error> {
    let value = build()?;
    Ok(match value.validate_with(options) {
        Ok(()) => Vec::new(),
        Err(error) => error
            .violations()
            .iter()
            .map(|violation| {
                (
                    violation.path().to_owned(),
                    kind_tag(violation.kind()).to_owned(),
                )
            })
            .collect(),
    })
}

fn kind_tag(kind: &ViolationKind) -> &'static str {
    match kind {
        ViolationKind::Required => "required",
        ViolationKind::Length { .. } => "length",
        ViolationKind::Range { .. } => "range",
        ViolationKind::Pattern { .. } => "pattern",
        _ => "other",
    }
}

/// SplitMix64: small, deterministic, good enough to pick values.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 { 0 } else { self.next() % bound }
    }

    fn chance(&mut self) -> bool {
        self.next() & 1 == 1
    }
}

/// Compiles model patterns the way the generator translates them, independently of the crate.
#[derive(Debug, Default)]
struct Oracle {
    compiled: BTreeMap<String, Option<fancy_regex::Regex>>,
}

impl Oracle {
    /// `true` when `value` satisfies `pattern` (an unusable pattern is not enforced).
    fn matches(&mut self, pattern: &str, value: &str) -> bool {
        let regex = self.compiled.entry(pattern.to_owned()).or_insert_with(|| {
            match codegen::patterns::translate(pattern) {
                codegen::patterns::Translation::Ready { regex, .. } => {
                    fancy_regex::RegexBuilder::new(&regex)
                        .delegate_size_limit(codegen::patterns::SIZE_LIMIT)
                        .build()
                        .ok()
                }
                codegen::patterns::Translation::Unusable { .. } => None,
            }
        });
        regex
            .as_ref()
            .is_none_or(|regex| regex.is_match(value).unwrap_or(false))
    }
}

/// Strings that satisfy most real-world patterns of the model, tried in turn.
const CANDIDATES: &[&str] = &[
    "a1b2c3d4-aaaa-4bbb-8ccc-123456789012",
    "arn:aws:connect:us-east-1:123456789012:instance/a1b2c3d4-aaaa-4bbb-8ccc-123456789012",
    "Example1",
    "abc",
    "Passw0rdX",
    "+12065550123",
    "en-US",
    "user@example.com",
    "2024-01-01",
    "2024-01-01T00:00:00Z",
    "s3://bucket/key",
    "d-1234567890",
    "200",
    "a",
    "",
];

/// Builds JSON values that satisfy every constraint of the model.
struct Generator<'a> {
    service: &'a Service,
    rng: Rng,
    oracle: Oracle,
}

impl<'a> Generator<'a> {
    fn new(service: &'a Service, seed: u64) -> Self {
        Generator {
            service,
            rng: Rng(seed),
            oracle: Oracle::default(),
        }
    }

    fn string(&mut self, id: ShapeId) -> Option<String> {
        let ShapeKind::String {
            enum_values,
            length,
            pattern,
        } = &self.service.shape(id).kind
        else {
            return None;
        };
        if let Some(values) = enum_values {
            return values
                .get(self.rng.below(values.len() as u64) as usize)
                .cloned();
        }
        let (min, max) = (length.min.unwrap_or(0), length.max.unwrap_or(u64::MAX));
        let fits = |text: &str| (min..=max).contains(&(text.chars().count() as u64));
        let Some(pattern) = pattern else {
            let len = min + self.rng.below(max.min(min + 8) - min + 1);
            let alphabet = ['a', 'é', 'Z', '7', '漢'];
            return Some(
                (0..len)
                    .map(|_| alphabet[self.rng.below(5) as usize])
                    .collect(),
            );
        };
        let start = self.rng.below(CANDIDATES.len() as u64) as usize;
        (0..CANDIDATES.len())
            .map(|offset| CANDIDATES[(start + offset) % CANDIDATES.len()])
            .find(|candidate| fits(candidate) && self.oracle.matches(pattern, candidate))
            .map(str::to_owned)
    }

    /// A valid JSON value of shape `id`; `None` when this generator cannot make one.
    fn value(&mut self, id: ShapeId, depth: usize) -> Option<Value> {
        let service = self.service;
        match &service.shape(id).kind {
            ShapeKind::String { .. } => self.string(id).map(Value::String),
            ShapeKind::Integer(range) | ShapeKind::Long(range) => {
                let min = range.min.unwrap_or(0).max(-1_000_000);
                let max = range
                    .max
                    .unwrap_or(1_000)
                    .min(min.saturating_add(1_000_000));
                Some(json!(min + self.rng.below((max - min) as u64 + 1) as i64))
            }
            ShapeKind::Float(range) | ShapeKind::Double(range) => {
                let min = range.min.unwrap_or(0.0);
                let max = range.max.unwrap_or(min + 100.0);
                // Halves are exact in f32 too.
                let steps = ((max - min) * 2.0).floor() as u64;
                Some(json!(min + self.rng.below(steps + 1) as f64 / 2.0))
            }
            ShapeKind::Boolean => Some(json!(self.rng.chance())),
            ShapeKind::Timestamp { .. } => Some(json!(1_700_000_000)),
            ShapeKind::Document => Some(json!({})),
            ShapeKind::Blob { length, .. } => {
                use base64::Engine as _;
                let len = length
                    .min
                    .unwrap_or(0)
                    .max(1)
                    .min(length.max.unwrap_or(u64::MAX));
                let bytes = vec![7u8; len as usize];
                Some(json!(
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                ))
            }
            ShapeKind::List { member, length, .. } => {
                let min = length.min.unwrap_or(0);
                let count = if depth > 3 {
                    min
                } else {
                    min + self.rng.below(3)
                };
                let count = count.min(length.max.unwrap_or(u64::MAX));
                let items: Option<Vec<Value>> = (0..count)
                    .map(|_| self.value(member.target, depth + 1))
                    .collect();
                items.map(Value::Array)
            }
            ShapeKind::Map {
                key, value, length, ..
            } => {
                let min = length.min.unwrap_or(0);
                let count = (if depth > 3 {
                    min
                } else {
                    min + self.rng.below(3)
                })
                .min(length.max.unwrap_or(u64::MAX));
                let mut entries = Map::new();
                for _ in 0..count * 4 {
                    if entries.len() as u64 == count {
                        break;
                    }
                    let key = self.string(key.target)?;
                    let item = self.value(value.target, depth + 1)?;
                    entries.insert(key, item);
                }
                (entries.len() as u64 >= min).then_some(Value::Object(entries))
            }
            ShapeKind::Structure(structure) if structure.union => {
                let start = self.rng.below(structure.members.len() as u64) as usize;
                (0..structure.members.len()).find_map(|offset| {
                    let member = &structure.members[(start + offset) % structure.members.len()];
                    let value = self.value(member.target, depth + 1)?;
                    Some(json!({ member.wire_name(): value }))
                })
            }
            ShapeKind::Structure(structure) => {
                let mut object = Map::new();
                for member in &structure.members {
                    if member.required || (depth < 3 && self.rng.chance()) {
                        match self.value(member.target, depth + 1) {
                            Some(value) => {
                                object.insert(member.wire_name().to_owned(), value);
                            }
                            None if member.required => return None,
                            None => {}
                        }
                    }
                }
                Some(Value::Object(object))
            }
        }
    }

    /// A valid operation input: its body, and the members bound outside the body.
    fn input(&mut self, id: ShapeId) -> Option<Input> {
        let structure = self.service.shape(id).as_structure()?;
        let mut input = Input {
            shape: self.service.shape(id).name.clone(),
            body: Map::new(),
            extras: Map::new(),
        };
        for member in &structure.members {
            let timestamp = matches!(
                self.service.shape(member.target).kind,
                ShapeKind::Timestamp { .. }
            );
            let outside = member.location != Location::Body;
            if outside && timestamp {
                // Not settable from JSON here; such a required member would always be missing.
                if member.required {
                    return None;
                }
                continue;
            }
            if member.required || self.rng.chance() {
                let value = self.value(member.target, 1);
                match value {
                    Some(value) if outside => {
                        input.extras.insert(member.name.clone(), value);
                    }
                    Some(value) => {
                        input.body.insert(member.wire_name().to_owned(), value);
                    }
                    None if member.required => return None,
                    None => {}
                }
            }
        }
        Some(input)
    }
}

#[derive(Debug, Clone)]
struct Input {
    shape: String,
    body: Map<String, Value>,
    extras: Map<String, Value>,
}

impl Input {
    fn violations(&self) -> Vec<(String, String)> {
        let body = Value::Object(self.body.clone());
        validate_input(&self.shape, &body, &self.extras, ValidateOptions::default())
            .unwrap_or_else(|| panic!("{} is not an input shape", self.shape))
            .unwrap_or_else(|error| panic!("{} does not read: {error}\n{body}", self.shape))
    }

    /// The slot holding top-level member `member`.
    fn slot(&mut self, member: &models::Member) -> &mut Map<String, Value> {
        if member.location == Location::Body {
            &mut self.body
        } else {
            &mut self.extras
        }
    }

    fn key(member: &models::Member) -> String {
        if member.location == Location::Body {
            member.wire_name().to_owned()
        } else {
            member.name.clone()
        }
    }
}

fn input_shapes(service: &Service) -> Vec<ShapeId> {
    let mut ids: Vec<ShapeId> = service
        .operations
        .values()
        .filter_map(|op| op.input)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// One boundary case: the member's value and whether it must be reported, and as what.
struct Case {
    value: Value,
    violation: Option<&'static str>,
}

/// min-1, min, max and max+1 for the member's own constraint; empty when it has none.
fn boundary_cases(
    generator: &mut Generator<'_>,
    member: &models::Member,
    valid: &Value,
) -> Vec<Case> {
    let service = generator.service;
    let mut cases = Vec::new();
    let mut push = |value: Value, ok: bool, tag: &'static str| {
        cases.push(Case {
            value,
            violation: (!ok).then_some(tag),
        })
    };
    match &service.shape(member.target).kind {
        ShapeKind::String {
            enum_values: None,
            length,
            pattern,
        } if *length != models::Length::default() => {
            let (min, max) = (length.min.unwrap_or(0), length.max.unwrap_or(u64::MAX));
            let sample = valid.as_str().unwrap_or_default();
            // Multi-byte first; otherwise a character the valid value already has.
            let fill = ['é', '漢']
                .into_iter()
                .chain(sample.chars().last())
                .find(|c| {
                    let text: String = std::iter::repeat_n(*c, min.max(1) as usize).collect();
                    pattern
                        .as_ref()
                        .is_none_or(|p| generator.oracle.matches(p, &text))
                });
            let Some(fill) = fill else { return cases };
            let text = |n: u64| -> String { std::iter::repeat_n(fill, n as usize).collect() };
            let mut bounds = Vec::new();
            if min > 0 {
                bounds.extend([(min - 1, false), (min, true)]);
            }
            if max < 100_000 {
                bounds.extend([(max, true), (max + 1, false)]);
            }
            for (n, ok) in bounds {
                let value = text(n);
                // Keep only values whose pattern verdict does not change with the length.
                if pattern
                    .as_ref()
                    .is_none_or(|p| generator.oracle.matches(p, &value))
                {
                    push(json!(value), ok, "length");
                }
            }
        }
        ShapeKind::Integer(range) | ShapeKind::Long(range) => {
            if let Some(min) = range.min {
                if let Some(below) = min.checked_sub(1) {
                    push(json!(below), false, "range");
                }
                push(json!(min), true, "range");
            }
            if let Some(max) = range.max {
                push(json!(max), true, "range");
                if let Some(above) = max.checked_add(1) {
                    push(json!(above), false, "range");
                }
            }
            // An i32 member cannot hold values beyond i32: those would not parse at all.
            if matches!(service.shape(member.target).kind, ShapeKind::Integer(_)) {
                cases.retain(|case| {
                    case.value
                        .as_i64()
                        .is_some_and(|v| i32::try_from(v).is_ok())
                });
            }
        }
        ShapeKind::Float(range) | ShapeKind::Double(range) => {
            if let Some(min) = range.min {
                push(json!(min - 1.0), false, "range");
                push(json!(min), true, "range");
            }
            if let Some(max) = range.max {
                push(json!(max), true, "range");
                push(json!(max + 1.0), false, "range");
            }
        }
        ShapeKind::List { length, .. } => {
            let Some(items) = valid.as_array() else {
                return cases;
            };
            let Some(item) = items.first() else {
                return cases;
            };
            let list = |n: u64| Value::Array(vec![item.clone(); n as usize]);
            // Copies of one valid item stay valid (no uniqueness in the model's lists).
            if let Some(min) = length.min.filter(|min| *min > 0) {
                push(list(min - 1), false, "length");
                push(list(min), true, "length");
            }
            if let Some(max) = length.max.filter(|max| *max < 1_000) {
                push(list(max), true, "length");
                push(list(max + 1), false, "length");
            }
        }
        ShapeKind::Map { key, length, .. } => {
            let Some(entries) = valid.as_object() else {
                return cases;
            };
            let Some(item) = entries.values().next().cloned() else {
                return cases;
            };
            let wanted = [
                length.min.filter(|min| *min > 0),
                length.max.filter(|max| *max < 1_000),
            ];
            let most = wanted.iter().flatten().max().map_or(0, |n| n + 1);
            // Distinct valid keys, as many as the largest case needs.
            let mut keys = std::collections::BTreeSet::new();
            for _ in 0..most * 8 {
                if keys.len() as u64 == most {
                    break;
                }
                keys.extend(generator.string(key.target));
            }
            if (keys.len() as u64) < most {
                return cases;
            }
            let map = |n: u64| {
                let entries = keys
                    .iter()
                    .take(n as usize)
                    .map(|key| (key.clone(), item.clone()));
                Value::Object(entries.collect())
            };
            if let Some(min) = wanted[0] {
                push(map(min - 1), false, "length");
                push(map(min), true, "length");
            }
            if let Some(max) = wanted[1] {
                push(map(max), true, "length");
                push(map(max + 1), false, "length");
            }
        }
        _ => {}
    }
    cases
}

#[test]
fn boundaries_of_every_constrained_member_of_every_input() {
    let service = tests::connect_model();
    let mut checked = BTreeMap::<&str, usize>::new();
    for id in input_shapes(&service) {
        let mut generator = Generator::new(&service, id.index() as u64);
        let Some(base) = generator.input(id) else {
            continue;
        };
        assert_eq!(base.violations(), [], "a generated {} is valid", base.shape);
        let Some(structure) = service.shape(id).as_structure() else {
            continue;
        };
        for member in &structure.members {
            let mut input = base.clone();
            let key = Input::key(member);
            let valid = match input.slot(member).get(&key) {
                Some(value) => value.clone(),
                None => match generator.value(member.target, 1) {
                    Some(value) => value,
                    None => continue,
                },
            };
            for case in boundary_cases(&mut generator, member, &valid) {
                input.slot(member).insert(key.clone(), case.value.clone());
                let expected: Vec<(String, String)> = case
                    .violation
                    .map(|tag| (member.name.clone(), tag.to_owned()))
                    .into_iter()
                    .collect();
                assert_eq!(
                    input.violations(),
                    expected,
                    "{}.{} = {}",
                    base.shape,
                    member.name,
                    case.value
                );
                *checked
                    .entry(case.violation.unwrap_or("valid"))
                    .or_default() += 1;
            }
        }
    }
    println!("boundary cases checked: {checked:?}");
    for kind in ["length", "range", "valid"] {
        assert!(
            checked.get(kind).copied().unwrap_or(0) > 20,
            "few {kind} cases: {checked:?}"
        );
    }
}

#[test]
fn removing_a_required_member_is_one_violation() {
    let service = tests::connect_model();
    let mut checked = 0;
    for id in input_shapes(&service) {
        let mut generator = Generator::new(&service, 7 + id.index() as u64);
        let Some(base) = generator.input(id) else {
            continue;
        };
        let Some(structure) = service.shape(id).as_structure() else {
            continue;
        };
        for member in structure.members.iter().filter(|member| member.required) {
            let mut input = base.clone();
            if input.slot(member).remove(&Input::key(member)).is_none() {
                continue;
            }
            assert_eq!(
                input.violations(),
                [(member.name.clone(), "required".to_owned())],
                "{} without {}",
                base.shape,
                member.name
            );
            checked += 1;
        }
    }
    assert!(checked > 400, "only {checked} required members checked");
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Where a constraint sits in a generated input, and how to break it.
    struct Site {
        path: String,
        /// Steps from the input's body (or, when `outside`, its other members) to the value.
        pointer: Vec<PathStep>,
        outside: bool,
        broken: Value,
        tag: &'static str,
    }

    #[derive(Clone)]
    enum PathStep {
        Key(String),
        Index(usize),
    }

    /// Walks a valid value with its shape and collects every constraint it could break.
    fn sites(
        generator: &mut Generator<'_>,
        id: ShapeId,
        value: &Value,
        path: &str,
        pointer: &[PathStep],
        out: &mut Vec<Site>,
    ) {
        let service = generator.service;
        let join = |segment: &str| {
            if path.is_empty() {
                segment.to_owned()
            } else {
                format!("{path}.{segment}")
            }
        };
        let site = |broken: Value, tag: &'static str| Site {
            path: path.to_owned(),
            pointer: pointer.to_vec(),
            outside: false,
            broken,
            tag,
        };
        match (&service.shape(id).kind, value) {
            (
                ShapeKind::String {
                    enum_values: None,
                    length,
                    pattern,
                },
                Value::String(text),
            ) => {
                let too_long = length.max.filter(|max| *max < 100_000).and_then(|max| {
                    let last = text.chars().last().unwrap_or('a');
                    let longer: String = text
                        .chars()
                        .chain(std::iter::repeat(last))
                        .take(max as usize + 1)
                        .collect();
                    pattern
                        .as_ref()
                        .is_none_or(|p| generator.oracle.matches(p, &longer))
                        .then_some(longer)
                });
                if let Some(longer) = too_long {
                    out.push(site(json!(longer), "length"));
                }
                if let Some(pattern) = pattern {
                    let (min, max) = (length.min.unwrap_or(0), length.max.unwrap_or(u64::MAX));
                    let bad = ["aws:x", "!!!", "\u{7}", " ", "x y", "é"]
                        .into_iter()
                        .find(|bad| {
                            (min..=max).contains(&(bad.chars().count() as u64))
                                && !generator.oracle.matches(pattern, bad)
                        });
                    if let Some(bad) = bad {
                        out.push(site(json!(bad), "pattern"));
                    }
                }
            }
            (ShapeKind::Integer(range) | ShapeKind::Long(range), Value::Number(_)) => {
                let is_int = matches!(service.shape(id).kind, ShapeKind::Integer(_));
                let fits = |v: i64| !is_int || i32::try_from(v).is_ok();
                if let Some(above) = range
                    .max
                    .and_then(|max| max.checked_add(1))
                    .filter(|v| fits(*v))
                {
                    out.push(site(json!(above), "range"));
                }
            }
            (ShapeKind::Float(range) | ShapeKind::Double(range), Value::Number(_)) => {
                if let Some(max) = range.max {
                    out.push(site(json!(max + 1.0), "range"));
                }
            }
            (ShapeKind::List { member, length, .. }, Value::Array(items)) => {
                if let (Some(max), Some(first)) =
                    (length.max.filter(|max| *max < 1_000), items.first())
                {
                    out.push(site(
                        Value::Array(vec![first.clone(); max as usize + 1]),
                        "length",
                    ));
                }
                for (index, item) in items.iter().enumerate() {
                    let mut inner = pointer.to_vec();
                    inner.push(PathStep::Index(index));
                    sites(
                        generator,
                        member.target,
                        item,
                        &format!("{path}[{index}]"),
                        &inner,
                        out,
                    );
                }
            }
            (ShapeKind::Map { value: entry, .. }, Value::Object(entries)) => {
                for (key, item) in entries {
                    let mut inner = pointer.to_vec();
                    inner.push(PathStep::Key(key.clone()));
                    sites(
                        generator,
                        entry.target,
                        item,
                        &format!("{path}[{key:?}]"),
                        &inner,
                        out,
                    );
                }
            }
            (ShapeKind::Structure(structure), Value::Object(object)) => {
                for member in &structure.members {
                    if let Some(item) = object.get(member.wire_name()) {
                        let mut inner = pointer.to_vec();
                        inner.push(PathStep::Key(member.wire_name().to_owned()));
                        sites(
                            generator,
                            member.target,
                            item,
                            &join(&member.name),
                            &inner,
                            out,
                        );
                    }
                }
            }
            _ => {}
        }
    }

    fn replace(value: &mut Value, pointer: &[PathStep], broken: Value) {
        let Some((first, rest)) = pointer.split_first() else {
            *value = broken;
            return;
        };
        let next = match (first, value) {
            (PathStep::Key(key), Value::Object(object)) => object.get_mut(key),
            (PathStep::Index(index), Value::Array(items)) => items.get_mut(*index),
            _ => None,
        };
        if let Some(next) = next {
            replace(next, rest, broken);
        }
    }

    /// Builds a random valid input (seeded), checks that it passes, breaks the constraint
    /// `pick` selects and checks that exactly that violation appears. Returns the kind broken.
    fn break_one_constraint(seed: u64, pick: u64) -> Option<&'static str> {
        let service = tests::connect_model_cached();
        let inputs = input_shapes(service);
        let id = inputs[(seed % inputs.len() as u64) as usize];
        let mut generator = Generator::new(service, seed);
        let input = generator.input(id)?;
        assert_eq!(input.violations(), [], "{input:?}");

        let structure = service.shape(id).as_structure()?;
        let mut found = Vec::new();
        for member in &structure.members {
            let outside = member.location != Location::Body;
            let (slot, key) = if outside {
                (&input.extras, member.name.clone())
            } else {
                (&input.body, member.wire_name().to_owned())
            };
            if let Some(value) = slot.get(&key) {
                let start = found.len();
                sites(
                    &mut generator,
                    member.target,
                    value,
                    &member.name,
                    &[],
                    &mut found,
                );
                for site in &mut found[start..] {
                    site.pointer.insert(0, PathStep::Key(key.clone()));
                    site.outside = outside;
                }
            }
        }
        if found.is_empty() {
            return None;
        }
        let site = &found[(pick % found.len() as u64) as usize];
        let mut broken = input.clone();
        let target = if site.outside {
            &mut broken.extras
        } else {
            &mut broken.body
        };
        let mut whole = Value::Object(std::mem::take(target));
        replace(&mut whole, &site.pointer, site.broken.clone());
        if let Value::Object(object) = whole {
            *target = object;
        }
        assert_eq!(
            broken.violations(),
            [(site.path.clone(), site.tag.to_owned())],
            "{} broken at {}",
            input.shape,
            site.path
        );
        Some(site.tag)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// A valid random input passes; breaking one constraint gives exactly that violation.
        #[test]
        fn one_broken_constraint_is_one_violation(seed in any::<u64>(), pick in any::<u64>()) {
            break_one_constraint(seed, pick);
        }
    }

    /// The property is not vacuous: over fixed seeds, every kind of constraint gets broken.
    #[test]
    fn the_property_breaks_every_kind_of_constraint() {
        let mut broken = BTreeMap::<&str, usize>::new();
        for seed in 0..600 {
            if let Some(tag) = break_one_constraint(seed, seed.wrapping_mul(31)) {
                *broken.entry(tag).or_default() += 1;
            }
        }
        println!("constraints broken: {broken:?}");
        for kind in ["length", "pattern", "range"] {
            assert!(
                broken.get(kind).copied().unwrap_or(0) >= 5,
                "few {kind}: {broken:?}"
            );
        }
    }
}
