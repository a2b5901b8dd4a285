//! Compares one shape of the old model with the shape of the new model reached at the same place,
//! and says which pairs of shapes below it to compare next.
//!
//! Nothing here knows about operations: [`compare`] returns the changes found in the pair itself,
//! each tagged with the step from the pair to where it applies, and the walk attributes them.

use std::collections::HashMap;

use models::{
    FloatRange, IntRange, Length, Member, Service, Shape, ShapeId, ShapeKind, Structure,
    TimestampFormat,
};

use super::{Change, Rule};
use crate::naming;

/// One step of a member path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    Member(String),
    /// A list item: `[]`.
    Item,
    /// A map key: `{key}`.
    Key,
    /// A map value: `{}`.
    Value,
}

impl Step {
    /// `path` extended by this step.
    pub(super) fn extend(&self, path: &str) -> String {
        match self {
            Step::Member(name) if path.is_empty() => name.clone(),
            Step::Member(name) => format!("{path}.{name}"),
            Step::Item => format!("{path}[]"),
            Step::Key => format!("{path}{{key}}"),
            Step::Value => format!("{path}{{}}"),
        }
    }
}

/// What comparing a pair found.
#[derive(Debug, Default)]
pub(super) struct PairDiff {
    /// Changes, each with the step from the pair to where it applies (`None`: the pair itself).
    pub(super) found: Vec<(Change, Option<Step>)>,
    /// Pairs of shapes to compare next, with the step that reaches them.
    pub(super) children: Vec<(Step, ShapeId, ShapeId)>,
}

/// Both models, and the helpers that name things in them.
#[derive(Clone, Copy)]
pub(super) struct Models<'a> {
    pub(super) old: &'a Service,
    pub(super) new: &'a Service,
}

impl<'a> Models<'a> {
    /// Compares old shape `a` with new shape `b`, which are reached at the same place.
    pub(super) fn compare(self, a: ShapeId, b: ShapeId) -> PairDiff {
        let (old, new) = (self.old.shape(a), self.new.shape(b));
        let mut diff = PairDiff::default();
        let location = format!("shapes.{}", new.name);
        let rust = rust_type(self.new, b);
        // Only structures, unions and enums are Rust items; other shapes live in their fields.
        let item = if rust == naming::type_name(&new.name) {
            format!("`{rust}`")
        } else {
            format!("the fields of type {} (`{rust}`)", new.name)
        };
        self.common(
            &mut diff,
            None,
            &location,
            &format!("shape {}", new.name),
            &item,
            (&old.documentation, &new.documentation),
            (old.deprecated.is_some(), new.deprecated.is_some()),
            (old.sensitive, new.sensitive),
        );
        match (&old.kind, &new.kind) {
            (ShapeKind::Structure(s), ShapeKind::Structure(t)) if s.union == t.union => {
                self.structures(&mut diff, new, s, t);
            }
            (
                ShapeKind::String {
                    enum_values: e,
                    length: l,
                    pattern: p,
                },
                ShapeKind::String {
                    enum_values: f,
                    length: m,
                    pattern: q,
                },
            ) => {
                if let (Some(e), Some(f)) = (e, f) {
                    enum_values(&mut diff, new, e, f);
                }
                length(&mut diff, &location, *l, *m);
                pattern(&mut diff, &location, p, q);
            }
            (ShapeKind::Integer(r), ShapeKind::Integer(s))
            | (ShapeKind::Long(r), ShapeKind::Long(s)) => int_range(&mut diff, &location, *r, *s),
            (ShapeKind::Float(r), ShapeKind::Float(s))
            | (ShapeKind::Double(r), ShapeKind::Double(s)) => {
                float_range(&mut diff, &location, *r, *s)
            }
            (ShapeKind::Timestamp { format: f }, ShapeKind::Timestamp { format: g }) => {
                timestamp_format(&mut diff, None, &location, *f, *g);
            }
            (ShapeKind::Blob { length: l, .. }, ShapeKind::Blob { length: m, .. }) => {
                length(&mut diff, &location, *l, *m);
            }
            (
                ShapeKind::List {
                    member: m,
                    length: l,
                    ..
                },
                ShapeKind::List {
                    member: n,
                    length: k,
                    ..
                },
            ) => {
                length(&mut diff, &location, *l, *k);
                self.target(
                    &mut diff,
                    Step::Item,
                    &format!("{location}.member"),
                    (m.target, n.target),
                    &format!("the items of `{rust}`"),
                );
            }
            (
                ShapeKind::Map {
                    key: k,
                    value: v,
                    length: l,
                    ..
                },
                ShapeKind::Map {
                    key: j,
                    value: w,
                    length: m,
                    ..
                },
            ) => {
                length(&mut diff, &location, *l, *m);
                let keys = format!("the keys of `{rust}`");
                let values = format!("the values of `{rust}`");
                let key_location = format!("{location}.key");
                let value_location = format!("{location}.value");
                self.target(
                    &mut diff,
                    Step::Key,
                    &key_location,
                    (k.target, j.target),
                    &keys,
                );
                self.target(
                    &mut diff,
                    Step::Value,
                    &value_location,
                    (v.target, w.target),
                    &values,
                );
            }
            // Same kind without anything to compare, or a kind change the parent reports.
            _ => {}
        }
        diff
    }

    /// Documentation, deprecation and sensitivity, on a shape or a member.
    #[allow(clippy::too_many_arguments)]
    fn common(
        self,
        diff: &mut PairDiff,
        at: Option<Step>,
        location: &str,
        what: &str,
        item: &str,
        docs: (&Option<String>, &Option<String>),
        deprecated: (bool, bool),
        sensitive: (bool, bool),
    ) {
        if docs.0 != docs.1 {
            let message = match docs {
                (None, _) => format!("{what} gained documentation"),
                (_, None) => format!("{what} lost its documentation"),
                _ => format!("{what}: documentation changed"),
            };
            let change = change(
                Rule::DocumentationChanged,
                location,
                message,
                None,
                None,
                format!("doc comments of {item} change"),
            );
            diff.found.push((change, at.clone()));
        }
        if deprecated.0 != deprecated.1 {
            let (verb, effect) = if deprecated.1 {
                ("was deprecated", "gains")
            } else {
                ("is no longer deprecated", "loses")
            };
            let change = change(
                Rule::Deprecated,
                location,
                format!("{what} {verb}"),
                Some(deprecated.0.to_string()),
                Some(deprecated.1.to_string()),
                format!("{item} {effect} `#[deprecated]`"),
            );
            diff.found.push((change, at.clone()));
        }
        if sensitive.0 != sensitive.1 {
            let (verb, effect) = if sensitive.1 {
                ("became sensitive", "now redacts")
            } else {
                ("is no longer sensitive", "now shows")
            };
            let change = change(
                Rule::SensitiveChanged,
                location,
                format!("{what} {verb}"),
                Some(sensitive.0.to_string()),
                Some(sensitive.1.to_string()),
                format!("`Debug` {effect} {item}"),
            );
            diff.found.push((change, at));
        }
    }

    fn structures(self, diff: &mut PairDiff, shape: &Shape, old: &Structure, new: &Structure) {
        let owner = naming::type_name(&shape.name);
        let location = format!("shapes.{}", shape.name);
        if old.payload != new.payload {
            diff.found.push((
                change(
                    Rule::HttpPayloadChanged,
                    &format!("{location}.payload"),
                    format!("the HTTP payload of {} changed", shape.name),
                    old.payload.clone(),
                    new.payload.clone(),
                    "the body form of the payload member changes; no Rust type changes".to_owned(),
                ),
                None,
            ));
        }
        let olds: HashMap<&str, &Member> =
            old.members.iter().map(|m| (m.name.as_str(), m)).collect();
        let news: HashMap<&str, &Member> =
            new.members.iter().map(|m| (m.name.as_str(), m)).collect();
        let added: Vec<&Member> = new
            .members
            .iter()
            .filter(|m| !olds.contains_key(m.name.as_str()))
            .collect();
        let removed: Vec<&Member> = old
            .members
            .iter()
            .filter(|m| !news.contains_key(m.name.as_str()))
            .collect();
        let renames = self.renames(&added, &removed);

        for member in &new.members {
            if let Some(before) = olds.get(member.name.as_str()) {
                self.member(diff, shape, new.union, before, member);
            }
        }
        for member in &added {
            if let Some((from, _)) = renames.iter().find(|(_, to)| to.name == member.name) {
                let (old_field, new_field) = if new.union {
                    (
                        naming::variant_name(&from.name),
                        naming::variant_name(&member.name),
                    )
                } else {
                    (
                        naming::field_name(&from.name),
                        naming::field_name(&member.name),
                    )
                };
                diff.found.push((
                    change(
                        Rule::MemberRenamed,
                        &format!("{location}.members.{}", member.name),
                        format!(
                            "{}.{} was probably renamed to {} (same shape {}, same place)",
                            shape.name,
                            from.name,
                            member.name,
                            self.new.shape(member.target).name
                        ),
                        Some(from.name.clone()),
                        Some(member.name.clone()),
                        format!("`{owner}::{old_field}` becomes `{owner}::{new_field}`"),
                    ),
                    Some(Step::Member(member.name.clone())),
                ));
                continue;
            }
            let target = self.new.shape(member.target);
            let rust = rust_type(self.new, member.target);
            let (rule, what, effect) = if new.union {
                let variant = naming::variant_name(&member.name);
                (
                    Rule::UnionMemberAdded,
                    "union member",
                    format!(
                        "adds variant `{owner}::{variant}({rust})`; the union is \
                         `#[non_exhaustive]` and this member used to parse as `{owner}::Unknown`"
                    ),
                )
            } else {
                let field = naming::field_name(&member.name);
                (
                    if member.required {
                        Rule::RequiredMemberAdded
                    } else {
                        Rule::MemberAdded
                    },
                    if member.required {
                        "required member"
                    } else {
                        "member"
                    },
                    format!(
                        "adds field `{owner}::{field}: Option<{rust}>` and its setter `{}`; the \
                         struct is `#[non_exhaustive]` and every field is an `Option`",
                        naming::setter_name(&field)
                    ),
                )
            };
            diff.found.push((
                change(
                    rule,
                    &format!("{location}.members.{}", member.name),
                    format!(
                        "{} gained {what} {} ({})",
                        shape.name, member.name, target.name
                    ),
                    None,
                    Some(target.name.clone()),
                    effect,
                ),
                Some(Step::Member(member.name.clone())),
            ));
        }
        for member in &removed {
            if renames.iter().any(|(from, _)| from.name == member.name) {
                continue;
            }
            let target = self.old.shape(member.target);
            let (rule, what, effect) = if new.union {
                let variant = naming::variant_name(&member.name);
                (
                    Rule::UnionMemberRemoved,
                    "union member",
                    format!(
                        "removes variant `{owner}::{variant}`; the member now parses as \
                         `{owner}::Unknown`"
                    ),
                )
            } else {
                let field = naming::field_name(&member.name);
                (
                    Rule::MemberRemoved,
                    "member",
                    format!(
                        "removes field `{owner}::{field}` and its setter `{}`",
                        naming::setter_name(&field)
                    ),
                )
            };
            diff.found.push((
                change(
                    rule,
                    &format!("{location}.members.{}", member.name),
                    format!(
                        "{} lost {what} {} ({})",
                        shape.name, member.name, target.name
                    ),
                    Some(target.name.clone()),
                    None,
                    effect,
                ),
                Some(Step::Member(member.name.clone())),
            ));
        }
    }

    /// Probable renames: a removed member and an added member of the same shape, when neither
    /// has another candidate. A cheap heuristic, and said to be one in the report.
    fn renames<'m>(
        self,
        added: &[&'m Member],
        removed: &[&'m Member],
    ) -> Vec<(&'m Member, &'m Member)> {
        let same = |from: &Member, to: &Member| {
            self.old.shape(from.target).name == self.new.shape(to.target).name
        };
        let mut renames = Vec::new();
        for from in removed {
            let mut candidates = added.iter().filter(|to| same(from, to));
            if let (Some(to), None) = (candidates.next(), candidates.next()) {
                let rivals = removed.iter().filter(|other| same(other, to)).count();
                if rivals == 1 {
                    renames.push((*from, *to));
                }
            }
        }
        renames
    }

    /// A member present in both versions of a structure.
    fn member(self, diff: &mut PairDiff, shape: &Shape, union: bool, old: &Member, new: &Member) {
        let location = format!("shapes.{}.members.{}", shape.name, new.name);
        let owner = naming::type_name(&shape.name);
        let field = if union {
            format!("`{owner}::{}`", naming::variant_name(&new.name))
        } else {
            format!("`{owner}::{}`", naming::field_name(&new.name))
        };
        let what = format!("{}.{}", shape.name, new.name);
        let at = || Some(Step::Member(new.name.clone()));
        self.common(
            diff,
            at(),
            &location,
            &what,
            &field,
            (&old.documentation, &new.documentation),
            (old.deprecated.is_some(), new.deprecated.is_some()),
            (old.sensitive, new.sensitive),
        );
        if old.required != new.required && !union {
            let (rule, verb) = if new.required {
                (Rule::MemberBecameRequired, "became required")
            } else {
                (Rule::MemberBecameOptional, "is no longer required")
            };
            diff.found.push((
                change(
                    rule,
                    &location,
                    format!("{what} {verb}"),
                    Some(old.required.to_string()),
                    Some(new.required.to_string()),
                    format!(
                        "none on types: every field is `Option<T>`, so {field} keeps its type; \
                         its docs and the required check change"
                    ),
                ),
                at(),
            ));
        }
        if old.location != new.location {
            diff.found.push((
                change(
                    Rule::HttpLocationChanged,
                    &location,
                    format!(
                        "{what} moved from {} to {}",
                        old.location.as_str(),
                        new.location.as_str()
                    ),
                    Some(old.location.as_str().to_owned()),
                    Some(new.location.as_str().to_owned()),
                    format!("{field} keeps its type; whether it is in the serde body form changes"),
                ),
                at(),
            ));
        }
        if old.location_name != new.location_name {
            diff.found.push((
                change(
                    Rule::HttpLocationNameChanged,
                    &location,
                    format!(
                        "{what} is sent as {} instead of {}",
                        new.wire_name(),
                        old.wire_name()
                    ),
                    Some(old.wire_name().to_owned()),
                    Some(new.wire_name().to_owned()),
                    format!("{field} keeps its name; its serde wire name changes"),
                ),
                at(),
            ));
        }
        timestamp_format(
            diff,
            at(),
            &location,
            old.timestamp_format,
            new.timestamp_format,
        );
        self.target(
            diff,
            Step::Member(new.name.clone()),
            &location,
            (old.target, new.target),
            &field,
        );
    }

    /// Compares what a member (list item, map key or value) targets: a change of kind is a type
    /// change and stops the walk; a different name for a named Rust type is a rename; anything
    /// else is compared next.
    fn target(
        self,
        diff: &mut PairDiff,
        step: Step,
        location: &str,
        (a, b): (ShapeId, ShapeId),
        holder: &str,
    ) {
        if let Some(change) = self.retarget(location, a, b, holder) {
            let stop = change.rule == Rule::MemberTypeChanged;
            diff.found.push((change, Some(step.clone())));
            if stop {
                return;
            }
        }
        diff.children.push((step, a, b));
    }

    /// A type change or a rename between two targets, if there is one; also used for the input
    /// and output of an operation.
    pub(super) fn retarget(
        self,
        location: &str,
        a: ShapeId,
        b: ShapeId,
        holder: &str,
    ) -> Option<Change> {
        let (old, new) = (self.old.shape(a), self.new.shape(b));
        let (old_kind, new_kind) = (kind_tag(&old.kind), kind_tag(&new.kind));
        let (old_rust, new_rust) = (rust_type(self.old, a), rust_type(self.new, b));
        if old_kind != new_kind {
            return Some(change(
                Rule::MemberTypeChanged,
                location,
                format!(
                    "{location} changed type from {} ({old_kind}) to {} ({new_kind})",
                    old.name, new.name
                ),
                Some(format!("{} ({old_kind})", old.name)),
                Some(format!("{} ({new_kind})", new.name)),
                format!("{holder} changes type from `{old_rust}` to `{new_rust}`"),
            ));
        }
        if old.name != new.name && old_rust != new_rust {
            return Some(change(
                Rule::ShapeRenamed,
                location,
                format!(
                    "{location} now targets {} instead of {} (same {new_kind}, same wire form)",
                    new.name, old.name
                ),
                Some(old.name.clone()),
                Some(new.name.clone()),
                format!("{holder} changes type from `{old_rust}` to `{new_rust}`"),
            ));
        }
        None
    }
}

/// A change not yet attributed to any operation.
fn change(
    rule: Rule,
    location: &str,
    message: String,
    before: Option<String>,
    after: Option<String>,
    crate_effect: String,
) -> Change {
    Change {
        rule,
        location: location.to_owned(),
        message,
        before,
        after,
        crate_effect,
        uses: Vec::new(),
    }
}

fn enum_values(diff: &mut PairDiff, shape: &Shape, old: &[String], new: &[String]) {
    let owner = naming::type_name(&shape.name);
    for value in new.iter().filter(|v| !old.contains(v)) {
        let variant = naming::variant_name(value);
        diff.found.push((
            change(
                Rule::EnumValueAdded,
                &format!("shapes.{}.enum.{value}", shape.name),
                format!("{} gained enum value {value}", shape.name),
                None,
                Some(value.clone()),
                format!(
                    "adds variant `{owner}::{variant}`; the enum is `#[non_exhaustive]` and the \
                     value used to parse as `{owner}::Unknown`"
                ),
            ),
            None,
        ));
    }
    for value in old.iter().filter(|v| !new.contains(v)) {
        let variant = naming::variant_name(value);
        diff.found.push((
            change(
                Rule::EnumValueRemoved,
                &format!("shapes.{}.enum.{value}", shape.name),
                format!("{} lost enum value {value}", shape.name),
                Some(value.clone()),
                None,
                format!("removes variant `{owner}::{variant}`; the value now parses as `{owner}::Unknown`"),
            ),
            None,
        ));
    }
}

/// Whether a bound moved so as to accept fewer values (`tighter`) and/or more (`looser`).
fn bounds<T: PartialOrd>(min: (Option<T>, Option<T>), max: (Option<T>, Option<T>)) -> (bool, bool) {
    let mut tighter = false;
    let mut looser = false;
    match min {
        (None, Some(_)) => tighter = true,
        (Some(_), None) => looser = true,
        (Some(a), Some(b)) if b > a => tighter = true,
        (Some(a), Some(b)) if b < a => looser = true,
        _ => {}
    }
    match max {
        (None, Some(_)) => tighter = true,
        (Some(_), None) => looser = true,
        (Some(a), Some(b)) if b < a => tighter = true,
        (Some(a), Some(b)) if b > a => looser = true,
        _ => {}
    }
    (tighter, looser)
}

fn describe<T: std::fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (None, None) => "unbounded".to_owned(),
        (Some(min), None) => format!("min {min}"),
        (None, Some(max)) => format!("max {max}"),
        (Some(min), Some(max)) => format!("min {min}, max {max}"),
    }
}

/// Reports a bound change; one that both tightens and loosens is reported as tightened, the
/// side that can break a request.
fn bound_change(
    diff: &mut PairDiff,
    location: &str,
    (tighter, looser): (bool, bool),
    (rule_tight, rule_loose): (Rule, Rule),
    noun: &str,
    before: String,
    after: String,
) {
    if !tighter && !looser {
        return;
    }
    let (rule, verb) = if tighter {
        (rule_tight, "tightened")
    } else {
        (rule_loose, "loosened")
    };
    let shape = location.strip_prefix("shapes.").unwrap_or(location);
    diff.found.push((
        change(
            rule,
            location,
            format!("{shape}: {noun} {verb} from {before} to {after}"),
            Some(before),
            Some(after),
            format!("none on types; the {noun} validation of {shape} changes"),
        ),
        None,
    ));
}

fn length(diff: &mut PairDiff, location: &str, old: Length, new: Length) {
    bound_change(
        diff,
        location,
        bounds((old.min, new.min), (old.max, new.max)),
        (Rule::LengthTightened, Rule::LengthLoosened),
        "length",
        describe(old.min, old.max),
        describe(new.min, new.max),
    );
}

fn int_range(diff: &mut PairDiff, location: &str, old: IntRange, new: IntRange) {
    bound_change(
        diff,
        location,
        bounds((old.min, new.min), (old.max, new.max)),
        (Rule::RangeTightened, Rule::RangeLoosened),
        "range",
        describe(old.min, old.max),
        describe(new.min, new.max),
    );
}

fn float_range(diff: &mut PairDiff, location: &str, old: FloatRange, new: FloatRange) {
    bound_change(
        diff,
        location,
        bounds((old.min, new.min), (old.max, new.max)),
        (Rule::RangeTightened, Rule::RangeLoosened),
        "range",
        describe(old.min, old.max),
        describe(new.min, new.max),
    );
}

fn pattern(diff: &mut PairDiff, location: &str, old: &Option<String>, new: &Option<String>) {
    let rule = match (old, new) {
        (None, Some(_)) => Rule::PatternAdded,
        (Some(_), None) => Rule::PatternRemoved,
        (Some(a), Some(b)) if a != b => Rule::PatternChanged,
        _ => return,
    };
    let shape = location.strip_prefix("shapes.").unwrap_or(location);
    diff.found.push((
        change(
            rule,
            &format!("{location}.pattern"),
            format!(
                "{shape}: pattern {}",
                match rule {
                    Rule::PatternAdded => "added",
                    Rule::PatternRemoved => "removed",
                    _ => "changed",
                }
            ),
            old.clone(),
            new.clone(),
            format!("none on types; the pattern validation of {shape} changes"),
        ),
        None,
    ));
}

fn timestamp_format(
    diff: &mut PairDiff,
    at: Option<Step>,
    location: &str,
    old: Option<TimestampFormat>,
    new: Option<TimestampFormat>,
) {
    if old == new {
        return;
    }
    let name = |format: Option<TimestampFormat>| format.map_or("default", TimestampFormat::as_str);
    diff.found.push((
        change(
            Rule::TimestampFormatChanged,
            &format!("{location}.timestampFormat"),
            format!(
                "{location}: timestamp format changed from {} to {}",
                name(old),
                name(new)
            ),
            Some(name(old).to_owned()),
            Some(name(new).to_owned()),
            "the type stays `DateTime`; its serde wire form changes".to_owned(),
        ),
        at,
    ));
}

/// The kind of a shape as far as its Rust type is concerned.
fn kind_tag(kind: &ShapeKind) -> &'static str {
    match kind {
        ShapeKind::Structure(s) if s.union => "union",
        ShapeKind::Structure(_) => "structure",
        ShapeKind::Document => "document",
        ShapeKind::String {
            enum_values: Some(_),
            ..
        } => "enum",
        ShapeKind::String { .. } => "string",
        other => other.type_name(),
    }
}

/// The Rust type the generator gives a value of this shape (before de-duplication of names),
/// e.g. `Vec<ContactSummary>`.
pub(super) fn rust_type(service: &Service, id: ShapeId) -> String {
    rust_type_at(service, id, 0)
}

fn rust_type_at(service: &Service, id: ShapeId, depth: usize) -> String {
    let shape = service.shape(id);
    if depth > 8 {
        return "..".to_owned();
    }
    match &shape.kind {
        ShapeKind::Structure(_)
        | ShapeKind::String {
            enum_values: Some(_),
            ..
        } => naming::type_name(&shape.name),
        ShapeKind::Document => "Document".to_owned(),
        ShapeKind::String { .. } => "String".to_owned(),
        ShapeKind::Integer(_) => "i32".to_owned(),
        ShapeKind::Long(_) => "i64".to_owned(),
        ShapeKind::Float(_) => "f32".to_owned(),
        ShapeKind::Double(_) => "f64".to_owned(),
        ShapeKind::Boolean => "bool".to_owned(),
        ShapeKind::Timestamp { .. } => "DateTime".to_owned(),
        ShapeKind::Blob { .. } => "Vec<u8>".to_owned(),
        ShapeKind::List { member, .. } => {
            format!("Vec<{}>", rust_type_at(service, member.target, depth + 1))
        }
        ShapeKind::Map { key, value, .. } => format!(
            "HashMap<{}, {}>",
            rust_type_at(service, key.target, depth + 1),
            rust_type_at(service, value.target, depth + 1)
        ),
    }
}
