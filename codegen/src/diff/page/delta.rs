//! What a method's request or response gained, computed as the AWS change pages compute it
//! (`awslabs/aws-sdk-api-changes`, `apichanges/model.py`: `EqualityVisitor`, `DeltaVisitor`,
//! `TypeRepr`).
//!
//! The page compares each shape of the new model with the old shape of the same name, member by
//! member, down every path: a shape reached two ways shows up under both. A member the old
//! structure lacked is shown as its type (`'string'`, `'integer'`, an enum's values joined by
//! ` | `, a structure as the dict of its members), enum values the old shape lacked as a set;
//! list items and map values are stepped through, so they add no level. A walk that meets a shape
//! it is already inside stops there: the delta drops that branch and the type shows `()`.
//!
//! Where the page's visitors would raise (a list, map or string whose kind changed), the new
//! member is shown as its type, as the page does for a structure whose kind changed.

use std::collections::{BTreeMap, BTreeSet};

use models::{Service, ShapeId, ShapeKind};

use super::pyliteral::PyValue;

/// What one side of a method gained, each addition with its place in the model so that ignore
/// files can drop it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delta {
    /// A structure's new members and the members that gained something, by name.
    Structure(BTreeMap<String, Delta>),
    /// A new member (or one whose kind changed) as its type; `location` is
    /// `shapes.Owner.members.Name`.
    Added { location: String, value: PyValue },
    /// Enum values the old shape lacked; locations are `shapes.Shape.enum.VALUE`.
    EnumValues {
        shape: String,
        values: BTreeSet<String>,
    },
}

impl Delta {
    /// Whether there is nothing to show (Python would find the value falsy).
    pub fn is_empty(&self) -> bool {
        match self {
            Delta::Structure(members) => members.is_empty(),
            Delta::Added { .. } => false,
            Delta::EnumValues { values, .. } => values.is_empty(),
        }
    }

    /// Drops every addition whose model location `keep` rejects, and what is left empty.
    pub fn retain(&mut self, keep: &dyn Fn(&str) -> bool) {
        match self {
            Delta::Structure(members) => members.retain(|_, member| {
                member.retain(keep);
                member.kept(keep) && !member.is_empty()
            }),
            Delta::Added { .. } => {}
            Delta::EnumValues { shape, values } => {
                values.retain(|value| keep(&format!("shapes.{shape}.enum.{value}")));
            }
        }
    }

    /// Whether `keep` accepts this addition; structures are filtered member by member.
    fn kept(&self, keep: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Delta::Added { location, .. } => keep(location),
            _ => true,
        }
    }

    /// The Python value the page prints.
    pub fn to_py(&self) -> PyValue {
        match self {
            Delta::Structure(members) => PyValue::Dict(
                members
                    .iter()
                    .map(|(name, member)| (name.clone(), member.to_py()))
                    .collect(),
            ),
            Delta::Added { value, .. } => value.clone(),
            Delta::EnumValues { values, .. } => PyValue::Set(values.clone()),
        }
    }
}

/// Drops the additions `keep` rejects from a side's delta; `None` when nothing is left.
pub fn filtered(mut delta: Delta, keep: &dyn Fn(&str) -> bool) -> Option<Delta> {
    if !delta.kept(keep) {
        return None;
    }
    delta.retain(keep);
    (!delta.is_empty()).then_some(delta)
}

/// The page's shape classes: its visitors dispatch on these, and compare them for a kind change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Structures, unions and documents.
    Structure,
    List,
    Map,
    String,
    /// Numbers, booleans, timestamps and blobs.
    Other,
}

fn class(service: &Service, id: ShapeId) -> Class {
    match &service.shape(id).kind {
        ShapeKind::Structure(_) | ShapeKind::Document => Class::Structure,
        ShapeKind::List { .. } => Class::List,
        ShapeKind::Map { .. } => Class::Map,
        ShapeKind::String { .. } => Class::String,
        _ => Class::Other,
    }
}

/// A structure's members as (name, target), in model order; none for a document.
fn members(service: &Service, id: ShapeId) -> Vec<(&str, ShapeId)> {
    match &service.shape(id).kind {
        ShapeKind::Structure(structure) => structure
            .members
            .iter()
            .map(|member| (member.name.as_str(), member.target))
            .collect(),
        _ => Vec::new(),
    }
}

fn enum_values(service: &Service, id: ShapeId) -> &[String] {
    match &service.shape(id).kind {
        ShapeKind::String {
            enum_values: Some(values),
            ..
        } => values,
        _ => &[],
    }
}

fn list_item(service: &Service, id: ShapeId) -> Option<ShapeId> {
    match &service.shape(id).kind {
        ShapeKind::List { member, .. } => Some(member.target),
        _ => None,
    }
}

fn map_key_value(service: &Service, id: ShapeId) -> Option<(ShapeId, ShapeId)> {
    match &service.shape(id).kind {
        ShapeKind::Map { key, value, .. } => Some((key.target, value.target)),
        _ => None,
    }
}

/// The delta of new shape `new` against old shape `old` of the same name, or `None` when the
/// page would show nothing (the shapes are equal by the page's rules, or nothing was added).
pub fn shape_delta(
    old: &Service,
    new: &Service,
    old_id: ShapeId,
    new_id: ShapeId,
) -> Option<Delta> {
    let mut walk = Walk {
        old,
        new,
        inside: Vec::new(),
    };
    if walk.equal(new_id, old_id) {
        return None;
    }
    let location = format!("shapes.{}", new.shape(new_id).name);
    walk.delta(new_id, old_id, &location)
        .filter(|delta| !delta.is_empty())
}

/// A walk of both models with the shapes it is inside, as the page's visitors keep them (by the
/// new shape), so that recursion ends.
struct Walk<'a> {
    old: &'a Service,
    new: &'a Service,
    inside: Vec<ShapeId>,
}

impl Walk<'_> {
    /// `EqualityVisitor`: a structure equals anything of another kind and any structure it has no
    /// new member against (removed members do not count); enums compare their value lists; other
    /// scalars their names.
    fn equal(&mut self, n: ShapeId, o: ShapeId) -> bool {
        if self.inside.contains(&n) {
            return true;
        }
        self.inside.push(n);
        let (new, old) = (self.new, self.old);
        let equal = match (class(new, n), class(old, o)) {
            (Class::Structure, Class::Structure) => {
                let olds = members(old, o);
                let news = members(new, n);
                news.iter()
                    .all(|(name, _)| olds.iter().any(|(x, _)| x == name))
                    && news.iter().all(|(name, target)| {
                        let before = olds.iter().find(|(x, _)| x == name).map(|(_, t)| *t);
                        before.is_none_or(|before| self.equal(*target, before))
                    })
            }
            (Class::Structure, _) => true,
            (Class::List, Class::List) => match (list_item(new, n), list_item(old, o)) {
                (Some(x), Some(y)) => self.equal(x, y),
                _ => false,
            },
            (Class::Map, Class::Map) => match (map_key_value(new, n), map_key_value(old, o)) {
                (Some((k, v)), Some((j, w))) => self.equal(k, j) && self.equal(v, w),
                _ => false,
            },
            (Class::String, Class::String) => enum_values(new, n) == enum_values(old, o),
            (Class::Other, Class::Other) => new.shape(n).name == old.shape(o).name,
            _ => false,
        };
        self.inside.pop();
        equal
    }

    /// `DeltaVisitor`: what `n` gained over `o`; `location` is where the value sits in the model
    /// (the member holding it), for additions that replace a whole value.
    fn delta(&mut self, n: ShapeId, o: ShapeId, location: &str) -> Option<Delta> {
        if self.inside.contains(&n) {
            return None;
        }
        self.inside.push(n);
        let (new, old) = (self.new, self.old);
        let replaced = || Delta::Added {
            location: location.to_owned(),
            value: type_repr(new, n),
        };
        let delta = match (class(new, n), class(old, o)) {
            (Class::Structure, Class::Structure) => {
                let owner = &new.shape(n).name;
                let olds = members(old, o);
                let mut changed = BTreeMap::new();
                for (name, target) in members(new, n) {
                    let at = format!("shapes.{owner}.members.{name}");
                    match olds.iter().find(|(x, _)| *x == name) {
                        None => {
                            changed.insert(
                                name.to_owned(),
                                Delta::Added {
                                    location: at,
                                    value: type_repr(new, target),
                                },
                            );
                        }
                        Some((_, before)) => {
                            if let Some(delta) = self.delta(target, *before, &at)
                                && !delta.is_empty()
                            {
                                changed.insert(name.to_owned(), delta);
                            }
                        }
                    }
                }
                Some(Delta::Structure(changed))
            }
            (Class::List, Class::List) => match (list_item(new, n), list_item(old, o)) {
                (Some(x), Some(y)) => self.delta(x, y, location),
                _ => None,
            },
            (Class::Map, Class::Map) => match (map_key_value(new, n), map_key_value(old, o)) {
                (Some((_, v)), Some((_, w))) => self.delta(v, w, location),
                _ => None,
            },
            (Class::String, Class::String) => {
                let before = enum_values(old, o);
                Some(Delta::EnumValues {
                    shape: new.shape(n).name.clone(),
                    values: enum_values(new, n)
                        .iter()
                        .filter(|value| !before.contains(value))
                        .cloned()
                        .collect(),
                })
            }
            (Class::Other, _) => None,
            _ => Some(replaced()),
        };
        self.inside.pop();
        delta
    }
}

/// `TypeRepr`: a shape as the page shows a new member of it. Structures are dicts of their
/// members, lists one-item lists, maps `{key: value}`, enums their values joined by ` | `, other
/// scalars their botocore type; a shape met again inside itself is `()`.
pub fn type_repr(service: &Service, id: ShapeId) -> PyValue {
    TypeRepr {
        service,
        inside: Vec::new(),
    }
    .repr(id)
}

struct TypeRepr<'a> {
    service: &'a Service,
    inside: Vec<ShapeId>,
}

impl TypeRepr<'_> {
    fn repr(&mut self, id: ShapeId) -> PyValue {
        if self.inside.contains(&id) {
            return PyValue::Recursion;
        }
        self.inside.push(id);
        let service = self.service;
        let value = match &service.shape(id).kind {
            ShapeKind::Structure(_) | ShapeKind::Document => PyValue::Dict(
                members(service, id)
                    .into_iter()
                    .map(|(name, target)| (name.to_owned(), self.repr(target)))
                    .collect(),
            ),
            ShapeKind::List { member, .. } => PyValue::List(vec![self.repr(member.target)]),
            ShapeKind::Map { key, value, .. } => {
                let key = match self.repr(key.target) {
                    PyValue::Str(text) => text,
                    other => other.repr(),
                };
                PyValue::Dict(BTreeMap::from([(key, self.repr(value.target))]))
            }
            ShapeKind::String {
                enum_values: Some(values),
                ..
            } => PyValue::Str(values.join(" | ")),
            ShapeKind::String { .. } => PyValue::Str("string".to_owned()),
            other => PyValue::Str(other.type_name().to_owned()),
        };
        self.inside.pop();
        value
    }
}
