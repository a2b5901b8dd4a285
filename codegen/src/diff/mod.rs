//! What changed between two versions of a botocore model, and what it means for clients and for
//! the generated crate.
//!
//! ```no_run
//! let old = models::load_service_files("old/service-2.json".as_ref(), None)?;
//! let new = models::load_service_files("new/service-2.json".as_ref(), None)?;
//! let report = codegen::diff::diff(&old, &new);
//! print!("{}", codegen::diff::render::text(&report, false));
//! # Ok::<(), models::LoadError>(())
//! ```
//!
//! The diff runs on the resolved IR of both models. Operations are paired by name; from each
//! operation's input, output and errors the two shape graphs are walked *in step*, pairing shapes
//! by the member path that reaches them, so a shape that was renamed is still compared with its
//! old self. Each pair of shapes is compared once ([`walk`]) and every change it holds is
//! attributed to each operation and side (request, response, error) that reaches it, with the
//! shortest member path that does (`MetricResults[].Collections[].Metric.Name`). Shapes no
//! operation reaches are compared by name and reported without uses.
//!
//! Every change carries a [`Rule`] (stable id, section, severity by side, semver bump), a
//! location in the model (`shapes.Contact.members.AgentInfo`), what it does to the generated
//! crate, and a [fingerprint](Change::fingerprint) that ignore files and CI can rely on.
//!
//! The AWS API change page ([`page`]) is computed apart, the way awsapichanges.info computes it:
//! every path to what a method gained, not only the shortest.

pub mod ignore;
pub mod page;
pub mod render;
pub mod rules;
mod shapes;
pub mod update;
mod walk;

use std::collections::BTreeMap;

use models::Service;

pub use ignore::{IgnoreError, IgnoreList};
pub use rules::{Category, Rule, Semver, Severity, Side};

/// Compares two versions of a model.
pub fn diff(old: &Service, new: &Service) -> Report {
    Report {
        old: ModelInfo::of(old),
        new: ModelInfo::of(new),
        changes: walk::changes(old, new),
    }
}

/// Every change between two models, in a deterministic order (section, location, rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub old: ModelInfo,
    pub new: ModelInfo,
    pub changes: Vec<Change>,
}

/// Which model a side of the diff is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// `serviceFullName`, e.g. `Amazon Connect Service`.
    pub service: String,
    pub api_version: String,
}

impl ModelInfo {
    fn of(service: &Service) -> Self {
        ModelInfo {
            service: service.metadata.service_full_name.clone(),
            api_version: service.metadata.api_version.clone(),
        }
    }
}

/// One change, found once and attributed to every operation that reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub rule: Rule,
    /// Where in the model, in the loader's path form: `operations.GetMetricDataV2.http.method`,
    /// `shapes.Contact.members.AgentInfo`, `shapes.Channel.enum.EMAIL`, `paginators.ListUsers`,
    /// `waiters.UserExists`.
    /// Names are the new model's, or the old one's for what was removed.
    pub location: String,
    /// One human sentence.
    pub message: String,
    /// The old value (an enum value, a type, a bound), when the rule has one.
    pub before: Option<String>,
    /// The new value, when the rule has one.
    pub after: Option<String>,
    /// What regenerating does to the generated Rust crate.
    pub crate_effect: String,
    /// Every operation and side that reaches the change, with its member path; sorted. Empty
    /// when no operation reaches it.
    pub uses: Vec<Use>,
}

/// An operation and side from which a change is reached.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Use {
    pub operation: String,
    pub side: Side,
    /// The shortest member path from the side's root shape, `[]` for list items, `{}` for map
    /// values and `{key}` for map keys; empty for the root itself.
    pub path: String,
}

/// The sides a change is reached from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    None,
    Request,
    Response,
    Both,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::None => "none",
            Direction::Request => "request",
            Direction::Response => "response",
            Direction::Both => "both",
        }
    }
}

impl Change {
    /// The highest severity over the sides the change is reached from; a change no operation
    /// reaches cannot affect a call and is a note.
    pub fn severity(&self) -> Severity {
        self.uses
            .iter()
            .map(|used| self.rule.severity(used.side))
            .max()
            .unwrap_or(Severity::Note)
    }

    /// Whether clients meet the change in what they send, what they read, or both.
    pub fn direction(&self) -> Direction {
        let request = self.uses.iter().any(|used| used.side == Side::Request);
        let response = self.uses.iter().any(|used| used.side != Side::Request);
        match (request, response) {
            (false, false) => Direction::None,
            (true, false) => Direction::Request,
            (false, true) => Direction::Response,
            (true, true) => Direction::Both,
        }
    }

    pub fn category(&self) -> Category {
        self.rule.category()
    }

    pub fn semver(&self) -> Semver {
        self.rule.semver()
    }

    /// A stable id for the change: 16 hex digits of the 64-bit FNV-1a hash of the rule id,
    /// location, old and new value, each followed by a NUL byte. The same change gets the same
    /// fingerprint on every run and platform.
    pub fn fingerprint(&self) -> String {
        let mut hash = Fnv1a::new();
        for part in [
            self.rule.id(),
            &self.location,
            self.before.as_deref().unwrap_or(""),
            self.after.as_deref().unwrap_or(""),
        ] {
            hash.write(part.as_bytes());
            hash.write(&[0]);
        }
        format!("{:016x}", hash.0)
    }

    /// The operations that reach the change, each once, sorted.
    pub fn operations(&self) -> Vec<&str> {
        let mut operations: Vec<&str> = self.uses.iter().map(|u| u.operation.as_str()).collect();
        operations.dedup();
        operations
    }
}

/// 64-bit FNV-1a: tiny, and defined byte for byte, unlike `DefaultHasher`.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// The change-page view: new, removed and updated operations, and for each updated operation
/// what was added, removed and changed in its request and response trees.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub new: Vec<String>,
    pub removed: Vec<String>,
    pub updated: Vec<UpdatedOperation>,
}

/// An operation with at least one API change in its request or response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatedOperation {
    pub name: String,
    pub request: SideSummary,
    pub response: SideSummary,
}

/// The API changes reached from one side of an operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SideSummary {
    pub added: Vec<Entry>,
    pub removed: Vec<Entry>,
    /// Type changes and renames.
    pub changed: Vec<Entry>,
}

impl SideSummary {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// One line of a side's tree.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// The member path (for an enum value: the path of the member that holds the enum).
    pub path: String,
    /// The enum value, the member's shape, or `old -> new` for a change.
    pub value: String,
    pub rule: Rule,
}

impl Report {
    /// True when the models are equivalent (or every change was ignored).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The highest severity of any change.
    pub fn max_severity(&self) -> Option<Severity> {
        self.changes.iter().map(Change::severity).max()
    }

    /// The version bump the changes imply for the generated crate, if any.
    pub fn semver(&self) -> Option<Semver> {
        self.changes.iter().map(Change::semver).max()
    }

    /// Whether some change is at least as severe as `level` (for `--fail-on`).
    pub fn fails(&self, level: Severity) -> bool {
        self.max_severity().is_some_and(|max| max >= level)
    }

    /// Drops every change the ignore list matches; returns how many were dropped.
    pub fn ignore(&mut self, list: &IgnoreList) -> usize {
        let before = self.changes.len();
        self.changes.retain(|change| !list.matches(change));
        before - self.changes.len()
    }

    /// The changes of one section.
    pub fn in_category(&self, category: Category) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(move |change| change.category() == category)
    }

    /// New, removed and updated operations. An operation is updated when a member, union member
    /// or enum value was added or removed, or a member changed type, anywhere in its request or
    /// response; constraint, HTTP, error, paginator, waiter and documentation changes do not
    /// count.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for change in &self.changes {
            match change.rule {
                Rule::OperationAdded => summary.new.push(operation_name(&change.location)),
                Rule::OperationRemoved => summary.removed.push(operation_name(&change.location)),
                _ => {}
            }
        }
        summary.new.sort();
        summary.removed.sort();
        // A new operation may reach a shape that changed; it is new, not updated.
        let whole = |name: &str| {
            summary
                .new
                .binary_search_by(|n| n.as_str().cmp(name))
                .is_ok()
                || summary
                    .removed
                    .binary_search_by(|n| n.as_str().cmp(name))
                    .is_ok()
        };
        let mut updated: BTreeMap<&str, (SideSummary, SideSummary)> = BTreeMap::new();
        for change in &self.changes {
            match change.rule {
                Rule::OperationAdded | Rule::OperationRemoved => {}
                _ if change.category() == Category::Api => {
                    for used in change.uses.iter().filter(|u| !whole(&u.operation)) {
                        let (request, response) =
                            updated.entry(used.operation.as_str()).or_default();
                        let side = match used.side {
                            Side::Request => request,
                            Side::Response => response,
                            Side::Error => continue,
                        };
                        let (list, value) = match change.rule {
                            Rule::MemberAdded
                            | Rule::RequiredMemberAdded
                            | Rule::UnionMemberAdded
                            | Rule::EnumValueAdded => (&mut side.added, change.after.clone()),
                            Rule::MemberRemoved
                            | Rule::UnionMemberRemoved
                            | Rule::EnumValueRemoved => (&mut side.removed, change.before.clone()),
                            _ => (
                                &mut side.changed,
                                Some(format!(
                                    "{} -> {}",
                                    change.before.as_deref().unwrap_or("?"),
                                    change.after.as_deref().unwrap_or("?")
                                )),
                            ),
                        };
                        list.push(Entry {
                            path: used.path.clone(),
                            value: value.unwrap_or_default(),
                            rule: change.rule,
                        });
                    }
                }
                _ => {}
            }
        }
        for (name, (mut request, mut response)) in updated {
            if request.is_empty() && response.is_empty() {
                continue;
            }
            for side in [&mut request, &mut response] {
                for list in [&mut side.added, &mut side.removed, &mut side.changed] {
                    list.sort();
                    list.dedup();
                }
            }
            summary.updated.push(UpdatedOperation {
                name: name.to_owned(),
                request,
                response,
            });
        }
        summary
    }
}

/// `operations.Name` → `Name`.
fn operation_name(location: &str) -> String {
    location
        .strip_prefix("operations.")
        .unwrap_or(location)
        .to_owned()
}
