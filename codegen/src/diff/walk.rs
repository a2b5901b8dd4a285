//! Pairs the operations of two models, walks each side of each operation through both shape
//! graphs in step, and attributes every change to the operations and sides that reach it.
//!
//! Shapes are shared, so each pair of shapes is compared once (memoised) however many operations
//! reach it. Each walk is breadth-first, so the path recorded for a change is the shortest one
//! (ties broken by model order); a cycle ends the walk where it closes.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use models::{Operation, Service, ShapeId};

use super::rules::{Rule, Side};
use super::shapes::{Models, PairDiff, rust_type};
use super::{Change, Use};
use crate::naming;

/// Every change between the two models, each with its uses, sorted.
pub(super) fn changes(old: &Service, new: &Service) -> Vec<Change> {
    let mut walk = Walk {
        models: Models { old, new },
        pairs: HashMap::new(),
        changes: Vec::new(),
        interned: HashMap::new(),
    };
    walk.operations();
    walk.paginators();
    walk.waiters();
    walk.unreached();
    let mut changes = walk.changes;
    for change in &mut changes {
        change.uses.sort();
        change.uses.dedup();
    }
    changes.sort_by(|a, b| {
        (a.category(), &a.location, a.rule, &a.before, &a.after).cmp(&(
            b.category(),
            &b.location,
            b.rule,
            &b.before,
            &b.after,
        ))
    });
    changes
}

/// A compared pair: indexes of its changes in [`Walk::changes`] with the step to each, and the
/// pairs below it.
struct Pair {
    found: Vec<(usize, Option<super::shapes::Step>)>,
    children: Vec<(super::shapes::Step, ShapeId, ShapeId)>,
}

struct Walk<'a> {
    models: Models<'a>,
    pairs: HashMap<(ShapeId, ShapeId), std::rc::Rc<Pair>>,
    changes: Vec<Change>,
    /// The same change found from two pairs (a shape compared with two old shapes) is one change.
    interned: HashMap<(Rule, String, Option<String>, Option<String>), usize>,
}

impl Walk<'_> {
    fn intern(&mut self, change: Change) -> usize {
        let key = (
            change.rule,
            change.location.clone(),
            change.before.clone(),
            change.after.clone(),
        );
        match self.interned.entry(key) {
            Entry::Occupied(entry) => *entry.get(),
            Entry::Vacant(entry) => {
                self.changes.push(change);
                *entry.insert(self.changes.len() - 1)
            }
        }
    }

    fn pair(&mut self, a: ShapeId, b: ShapeId) -> std::rc::Rc<Pair> {
        if let Some(pair) = self.pairs.get(&(a, b)) {
            return pair.clone();
        }
        let PairDiff { found, children } = self.models.compare(a, b);
        let found = found
            .into_iter()
            .map(|(change, step)| (self.intern(change), step))
            .collect();
        let pair = std::rc::Rc::new(Pair { found, children });
        self.pairs.insert((a, b), pair.clone());
        pair
    }

    /// Records a change found outside any shape pair (on an operation, a paginator).
    fn record(&mut self, change: Change, uses: &[(&str, Side)]) {
        let index = self.intern(change);
        for (operation, side) in uses {
            self.changes[index].uses.push(Use {
                operation: (*operation).to_owned(),
                side: *side,
                path: String::new(),
            });
        }
    }

    fn operations(&mut self) {
        let (old, new) = (self.models.old, self.models.new);
        let names: BTreeSet<&String> = old.operations.keys().chain(new.operations.keys()).collect();
        for name in names {
            match (old.operations.get(name), new.operations.get(name)) {
                (Some(a), Some(b)) => self.operation(a, b),
                (None, Some(b)) => self.added_or_removed(new, b, true),
                (Some(a), None) => self.added_or_removed(old, a, false),
                (None, None) => {}
            }
        }
    }

    fn added_or_removed(&mut self, service: &Service, operation: &Operation, added: bool) {
        let types: Vec<String> = [operation.input, operation.output]
            .into_iter()
            .flatten()
            .map(|id| format!("`{}`", rust_type(service, id)))
            .collect();
        let types = if types.is_empty() {
            "no types".to_owned()
        } else {
            types.join(" and ")
        };
        let method = client_method(&operation.name);
        let (rule, message, effect) = if added {
            (
                Rule::OperationAdded,
                format!("new operation {}", operation.name),
                format!("adds {method}, and {types}"),
            )
        } else {
            (
                Rule::OperationRemoved,
                format!("operation {} was removed", operation.name),
                format!("removes {method}, and {types} unless another operation still uses them"),
            )
        };
        let change = Change {
            rule,
            location: format!("operations.{}", operation.name),
            message,
            before: None,
            after: None,
            crate_effect: effect,
            uses: Vec::new(),
        };
        let name = operation.name.as_str();
        self.record(change, &[(name, Side::Request), (name, Side::Response)]);
    }

    fn operation(&mut self, a: &Operation, b: &Operation) {
        let name = b.name.as_str();
        let location = format!("operations.{name}");
        let binding = |rule, field: &str, before: String, after: String, side| {
            (
                Change {
                    rule,
                    location: format!("{location}.http.{field}"),
                    message: format!("{name}: HTTP {field} changed from {before} to {after}"),
                    before: Some(before),
                    after: Some(after),
                    crate_effect: "none on types; requests are sent differently".to_owned(),
                    uses: Vec::new(),
                },
                side,
            )
        };
        let code = |code: Option<u16>| code.map_or_else(|| "default".to_owned(), |c| c.to_string());
        let mut found = Vec::new();
        if a.http.method != b.http.method {
            found.push(binding(
                Rule::HttpMethodChanged,
                "method",
                a.http.method.clone(),
                b.http.method.clone(),
                Side::Request,
            ));
        }
        if a.http.request_uri != b.http.request_uri {
            found.push(binding(
                Rule::HttpUriChanged,
                "requestUri",
                a.http.request_uri.clone(),
                b.http.request_uri.clone(),
                Side::Request,
            ));
        }
        if a.http.response_code != b.http.response_code {
            found.push(binding(
                Rule::HttpResponseCodeChanged,
                "responseCode",
                code(a.http.response_code),
                code(b.http.response_code),
                Side::Response,
            ));
        }
        if a.documentation != b.documentation {
            found.push((
                Change {
                    rule: Rule::DocumentationChanged,
                    location: location.clone(),
                    message: format!("{name}: documentation changed"),
                    before: None,
                    after: None,
                    crate_effect: format!("the docs of {} change", client_method(name)),
                    uses: Vec::new(),
                },
                Side::Request,
            ));
        }
        if a.deprecated.is_some() != b.deprecated.is_some() {
            found.push((
                Change {
                    rule: Rule::Deprecated,
                    location: location.clone(),
                    message: if b.deprecated.is_some() {
                        format!("{name} was deprecated")
                    } else {
                        format!("{name} is no longer deprecated")
                    },
                    before: Some(a.deprecated.is_some().to_string()),
                    after: Some(b.deprecated.is_some().to_string()),
                    crate_effect: if b.deprecated.is_some() {
                        format!("{} is marked `#[deprecated]`", client_method(name))
                    } else {
                        format!("{} is no longer `#[deprecated]`", client_method(name))
                    },
                    uses: Vec::new(),
                },
                Side::Request,
            ));
        }
        for (change, side) in found {
            self.record(change, &[(name, side)]);
        }
        self.errors(a, b);

        for (side, before, after) in [
            (Side::Request, a.input, b.input),
            (Side::Response, a.output, b.output),
        ] {
            match (before, after) {
                (Some(x), Some(y)) => self.walk(name, side, x, y, &location),
                (None, None) => {}
                (x, y) => {
                    let (old, new) = (self.models.old, self.models.new);
                    let describe = |service: &Service, id: Option<ShapeId>| {
                        id.map_or_else(|| "none".to_owned(), |id| service.shape(id).name.clone())
                    };
                    let field = if side == Side::Request {
                        "input"
                    } else {
                        "output"
                    };
                    let change = Change {
                        rule: Rule::MemberTypeChanged,
                        location: format!("{location}.{field}"),
                        message: format!(
                            "{name}: {field} changed from {} to {}",
                            describe(old, x),
                            describe(new, y)
                        ),
                        before: Some(describe(old, x)),
                        after: Some(describe(new, y)),
                        crate_effect: format!("the {field} type of {name} appears or goes away"),
                        uses: Vec::new(),
                    };
                    self.record(change, &[(name, side)]);
                }
            }
        }
    }

    /// Errors added and removed, then the errors both versions list, walked as the error side.
    fn errors(&mut self, a: &Operation, b: &Operation) {
        let (old, new) = (self.models.old, self.models.new);
        let name = b.name.as_str();
        let olds: Vec<(&str, ShapeId)> = a
            .errors
            .iter()
            .map(|&id| (old.shape(id).name.as_str(), id))
            .collect();
        let news: Vec<(&str, ShapeId)> = b
            .errors
            .iter()
            .map(|&id| (new.shape(id).name.as_str(), id))
            .collect();
        for &(error, _) in &news {
            if !olds.iter().any(|(other, _)| *other == error) {
                let change = Change {
                    rule: Rule::ErrorAdded,
                    location: format!("operations.{name}.errors.{error}"),
                    message: format!("{name} may now return {error}"),
                    before: None,
                    after: Some(error.to_owned()),
                    crate_effect: format!(
                        "none on `{name}`'s types; `{}` exists if any operation lists it",
                        naming::type_name(error)
                    ),
                    uses: Vec::new(),
                };
                self.record(change, &[(name, Side::Error)]);
            }
        }
        for &(error, _) in &olds {
            if !news.iter().any(|(other, _)| *other == error) {
                let change = Change {
                    rule: Rule::ErrorRemoved,
                    location: format!("operations.{name}.errors.{error}"),
                    message: format!("{name} no longer lists {error}"),
                    before: Some(error.to_owned()),
                    after: None,
                    crate_effect: format!("none on `{name}`'s types"),
                    uses: Vec::new(),
                };
                self.record(change, &[(name, Side::Error)]);
            }
        }
        for &(error, x) in &olds {
            if let Some(&(_, y)) = news.iter().find(|(other, _)| *other == error) {
                self.walk(name, Side::Error, x, y, &format!("operations.{name}"));
            }
        }
    }

    /// Walks one side of one operation breadth-first through pairs of shapes.
    fn walk(&mut self, operation: &str, side: Side, a: ShapeId, b: ShapeId, location: &str) {
        let root = match side {
            Side::Request => "input",
            Side::Response => "output",
            Side::Error => "errors",
        };
        let holder = format!("the {root} of {operation}");
        if let Some(change) = self
            .models
            .retarget(&format!("{location}.{root}"), a, b, &holder)
        {
            let stop = change.rule == Rule::MemberTypeChanged;
            self.record(change, &[(operation, side)]);
            if stop {
                return;
            }
        }
        let mut seen = HashSet::new();
        let mut queue = VecDeque::new();
        seen.insert((a, b));
        queue.push_back((a, b, String::new()));
        while let Some((a, b, path)) = queue.pop_front() {
            let pair = self.pair(a, b);
            for (index, step) in &pair.found {
                let path = match step {
                    Some(step) => step.extend(&path),
                    None => path.clone(),
                };
                self.changes[*index].uses.push(Use {
                    operation: operation.to_owned(),
                    side,
                    path,
                });
            }
            for (step, x, y) in &pair.children {
                if seen.insert((*x, *y)) {
                    queue.push_back((*x, *y, step.extend(&path)));
                }
            }
        }
    }

    /// Paginators added, removed or changed; each reached from its operation's response.
    fn paginators(&mut self) {
        let (old, new) = (self.models.old, self.models.new);
        for (name, a, b) in differing(&old.paginators, &new.paginators) {
            let pages = format!(
                "`{}_pages`",
                naming::field_name(name).trim_start_matches("r#")
            );
            let (rule, message, crate_effect) = match (a, b) {
                (Some(_), Some(_)) => (
                    Rule::PaginatorChanged,
                    format!("the paginator of {name} changed"),
                    format!("{pages} follows the new tokens"),
                ),
                (None, _) => (
                    Rule::PaginatorAdded,
                    format!("{name} gained a paginator"),
                    format!("{pages} is added"),
                ),
                (_, None) => (
                    Rule::PaginatorRemoved,
                    format!("{name} lost its paginator"),
                    format!("{pages} is removed"),
                ),
            };
            let change = entry_change(
                rule,
                format!("paginators.{name}"),
                message,
                crate_effect,
                a,
                b,
            );
            self.record(change, &[(name.as_str(), Side::Response)]);
        }
    }

    /// Waiters added, removed or changed; each reached from the response of the operation it
    /// polls (in the new model, else the old).
    fn waiters(&mut self) {
        let (old, new) = (self.models.old, self.models.new);
        for (name, a, b) in differing(&old.waiters, &new.waiters) {
            let method = format!(
                "`wait_until_{}`",
                naming::field_name(name).trim_start_matches("r#")
            );
            let (rule, message, crate_effect) = match (a, b) {
                (Some(_), Some(_)) => (
                    Rule::WaiterChanged,
                    format!("the waiter {name} changed"),
                    format!("{method} waits by the new rules"),
                ),
                (None, _) => (
                    Rule::WaiterAdded,
                    format!("waiter {name} was added"),
                    format!("{method} is added (feature `waiters`)"),
                ),
                (_, None) => (
                    Rule::WaiterRemoved,
                    format!("waiter {name} was removed"),
                    format!("{method} is removed (feature `waiters`)"),
                ),
            };
            let operation = b
                .or(a)
                .map(|waiter| waiter.operation.clone())
                .unwrap_or_default();
            let change = entry_change(rule, format!("waiters.{name}"), message, crate_effect, a, b);
            self.record(change, &[(operation.as_str(), Side::Response)]);
        }
    }

    /// Shapes present in both models under the same name that no operation walk compared.
    fn unreached(&mut self) {
        let (old, new) = (self.models.old, self.models.new);
        for b in new.shape_ids() {
            if let Some(a) = old.shape_id(&new.shape(b).name)
                && !self.pairs.contains_key(&(a, b))
            {
                self.pair(a, b);
            }
        }
    }
}

/// The entries of two named tables (paginators, waiters) that differ: added (`None` before),
/// removed (`None` after) or changed, in name order.
fn differing<'m, T: PartialEq>(
    old: &'m BTreeMap<String, T>,
    new: &'m BTreeMap<String, T>,
) -> Vec<(&'m String, Option<&'m T>, Option<&'m T>)> {
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    names
        .into_iter()
        .map(|name| (name, old.get(name), new.get(name)))
        .filter(|(_, a, b)| a != b)
        .collect()
}

/// The change of a table entry, with both sides' values (`Debug`) when it changed.
fn entry_change<T: std::fmt::Debug>(
    rule: Rule,
    location: String,
    message: String,
    crate_effect: String,
    before: Option<&T>,
    after: Option<&T>,
) -> Change {
    let changed = before.is_some() && after.is_some();
    Change {
        rule,
        location,
        message,
        before: before.filter(|_| changed).map(|value| format!("{value:?}")),
        after: after.filter(|_| changed).map(|value| format!("{value:?}")),
        crate_effect,
        uses: Vec::new(),
    }
}

/// The client's method of an operation, for crate effects: `Client::describe_contact`.
fn client_method(operation: &str) -> String {
    format!(
        "`Client::{}`",
        naming::field_name(operation).trim_start_matches("r#")
    )
}
