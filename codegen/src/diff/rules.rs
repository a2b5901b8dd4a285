//! The rules a change is classified by: a stable id, the section it is listed in, how severe it
//! is on each side of an operation, and the semver bump it implies for the generated crate.
//!
//! Severities follow smithy-diff (note < warning < danger < error) and are graded by direction as
//! oasdiff does: what is harmless to add to a request (an enum value the client may now send) is
//! a risk in a response (a value the client has never seen), and the reverse for removals.

use std::fmt;

/// How much a change can hurt an existing client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Danger,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Note,
        Severity::Warning,
        Severity::Danger,
        Severity::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Danger => "danger",
            Severity::Error => "error",
        }
    }

    /// Parses `note`, `warning`, `danger` or `error`.
    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|level| level.as_str() == text)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The version bump a change implies for the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Semver {
    Patch,
    Minor,
    Major,
}

impl Semver {
    pub fn as_str(self) -> &'static str {
        match self {
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        }
    }
}

impl fmt::Display for Semver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The section of the report a change is listed in. Only [`Category::Api`] changes make an
/// operation *updated*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Operations, members, union members and enum values added or removed; type changes.
    Api,
    /// Required, length, range and pattern.
    Constraint,
    /// Method, URI, status code, member locations, wire names, timestamp formats, payloads.
    Http,
    /// Modeled errors of an operation.
    Errors,
    /// Paginators of operations (`paginators-1.json`).
    Paginator,
    /// Waiters (`waiters-2.json`).
    Waiter,
    /// Documentation, deprecation and sensitivity: nothing on the wire changes.
    Docs,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Api => "api",
            Category::Constraint => "constraint",
            Category::Http => "http",
            Category::Errors => "errors",
            Category::Paginator => "paginator",
            Category::Waiter => "waiter",
            Category::Docs => "docs",
        }
    }

    /// The heading of the section in human-readable reports.
    pub fn title(self) -> &'static str {
        match self {
            Category::Api => "API changes",
            Category::Constraint => "Constraint changes",
            Category::Http => "HTTP binding changes",
            Category::Errors => "Error changes",
            Category::Paginator => "Paginator changes",
            Category::Waiter => "Waiter changes",
            Category::Docs => "Documentation changes",
        }
    }
}

/// Where a change is reached from: what a client sends, or what it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    Request,
    Response,
    /// A modeled error of the operation: read by the client, so graded like a response.
    Error,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
            Side::Error => "error",
        }
    }
}

/// Every rule, with its stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    OperationAdded,
    OperationRemoved,
    MemberAdded,
    RequiredMemberAdded,
    MemberRemoved,
    MemberRenamed,
    UnionMemberAdded,
    UnionMemberRemoved,
    EnumValueAdded,
    EnumValueRemoved,
    MemberTypeChanged,
    ShapeRenamed,
    MemberBecameRequired,
    MemberBecameOptional,
    LengthTightened,
    LengthLoosened,
    RangeTightened,
    RangeLoosened,
    PatternAdded,
    PatternRemoved,
    PatternChanged,
    HttpMethodChanged,
    HttpUriChanged,
    HttpResponseCodeChanged,
    HttpLocationChanged,
    HttpLocationNameChanged,
    HttpPayloadChanged,
    TimestampFormatChanged,
    ErrorAdded,
    ErrorRemoved,
    PaginatorAdded,
    PaginatorRemoved,
    PaginatorChanged,
    WaiterAdded,
    WaiterRemoved,
    WaiterChanged,
    DocumentationChanged,
    Deprecated,
    SensitiveChanged,
}

impl Rule {
    /// Every rule, in the order of the reference table.
    pub const ALL: [Rule; 39] = [
        Rule::OperationAdded,
        Rule::OperationRemoved,
        Rule::MemberAdded,
        Rule::RequiredMemberAdded,
        Rule::MemberRemoved,
        Rule::MemberRenamed,
        Rule::UnionMemberAdded,
        Rule::UnionMemberRemoved,
        Rule::EnumValueAdded,
        Rule::EnumValueRemoved,
        Rule::MemberTypeChanged,
        Rule::ShapeRenamed,
        Rule::MemberBecameRequired,
        Rule::MemberBecameOptional,
        Rule::LengthTightened,
        Rule::LengthLoosened,
        Rule::RangeTightened,
        Rule::RangeLoosened,
        Rule::PatternAdded,
        Rule::PatternRemoved,
        Rule::PatternChanged,
        Rule::HttpMethodChanged,
        Rule::HttpUriChanged,
        Rule::HttpResponseCodeChanged,
        Rule::HttpLocationChanged,
        Rule::HttpLocationNameChanged,
        Rule::HttpPayloadChanged,
        Rule::TimestampFormatChanged,
        Rule::ErrorAdded,
        Rule::ErrorRemoved,
        Rule::PaginatorAdded,
        Rule::PaginatorRemoved,
        Rule::PaginatorChanged,
        Rule::WaiterAdded,
        Rule::WaiterRemoved,
        Rule::WaiterChanged,
        Rule::DocumentationChanged,
        Rule::Deprecated,
        Rule::SensitiveChanged,
    ];

    /// The stable id used in reports, fingerprints and ignore files.
    pub fn id(self) -> &'static str {
        match self {
            Rule::OperationAdded => "operation-added",
            Rule::OperationRemoved => "operation-removed",
            Rule::MemberAdded => "member-added",
            Rule::RequiredMemberAdded => "required-member-added",
            Rule::MemberRemoved => "member-removed",
            Rule::MemberRenamed => "member-renamed",
            Rule::UnionMemberAdded => "union-member-added",
            Rule::UnionMemberRemoved => "union-member-removed",
            Rule::EnumValueAdded => "enum-value-added",
            Rule::EnumValueRemoved => "enum-value-removed",
            Rule::MemberTypeChanged => "member-type-changed",
            Rule::ShapeRenamed => "shape-renamed",
            Rule::MemberBecameRequired => "member-became-required",
            Rule::MemberBecameOptional => "member-became-optional",
            Rule::LengthTightened => "length-tightened",
            Rule::LengthLoosened => "length-loosened",
            Rule::RangeTightened => "range-tightened",
            Rule::RangeLoosened => "range-loosened",
            Rule::PatternAdded => "pattern-added",
            Rule::PatternRemoved => "pattern-removed",
            Rule::PatternChanged => "pattern-changed",
            Rule::HttpMethodChanged => "http-method-changed",
            Rule::HttpUriChanged => "http-uri-changed",
            Rule::HttpResponseCodeChanged => "http-response-code-changed",
            Rule::HttpLocationChanged => "http-location-changed",
            Rule::HttpLocationNameChanged => "http-location-name-changed",
            Rule::HttpPayloadChanged => "http-payload-changed",
            Rule::TimestampFormatChanged => "timestamp-format-changed",
            Rule::ErrorAdded => "error-added",
            Rule::ErrorRemoved => "error-removed",
            Rule::PaginatorAdded => "paginator-added",
            Rule::PaginatorRemoved => "paginator-removed",
            Rule::PaginatorChanged => "paginator-changed",
            Rule::WaiterAdded => "waiter-added",
            Rule::WaiterRemoved => "waiter-removed",
            Rule::WaiterChanged => "waiter-changed",
            Rule::DocumentationChanged => "documentation-changed",
            Rule::Deprecated => "deprecated",
            Rule::SensitiveChanged => "sensitive-changed",
        }
    }

    /// Looks a rule up by its id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.id() == id)
    }

    pub fn category(self) -> Category {
        use Rule::*;
        match self {
            OperationAdded | OperationRemoved | MemberAdded | RequiredMemberAdded
            | MemberRemoved | MemberRenamed | UnionMemberAdded | UnionMemberRemoved
            | EnumValueAdded | EnumValueRemoved | MemberTypeChanged | ShapeRenamed => Category::Api,
            MemberBecameRequired | MemberBecameOptional | LengthTightened | LengthLoosened
            | RangeTightened | RangeLoosened | PatternAdded | PatternRemoved | PatternChanged => {
                Category::Constraint
            }
            HttpMethodChanged
            | HttpUriChanged
            | HttpResponseCodeChanged
            | HttpLocationChanged
            | HttpLocationNameChanged
            | HttpPayloadChanged
            | TimestampFormatChanged => Category::Http,
            ErrorAdded | ErrorRemoved => Category::Errors,
            PaginatorAdded | PaginatorRemoved | PaginatorChanged => Category::Paginator,
            WaiterAdded | WaiterRemoved | WaiterChanged => Category::Waiter,
            DocumentationChanged | Deprecated | SensitiveChanged => Category::Docs,
        }
    }

    /// How severe the change is when reached from `side`.
    pub fn severity(self, side: Side) -> Severity {
        use Rule::*;
        use Severity::*;
        let request = side == Side::Request;
        match self {
            OperationAdded | DocumentationChanged | Deprecated | SensitiveChanged
            | PaginatorAdded | WaiterAdded | ErrorRemoved | ShapeRenamed => Note,
            OperationRemoved
            | MemberRemoved
            | MemberRenamed
            | MemberTypeChanged
            | HttpMethodChanged
            | HttpUriChanged
            | HttpResponseCodeChanged
            | HttpLocationChanged
            | HttpLocationNameChanged
            | HttpPayloadChanged
            | TimestampFormatChanged => Error,
            MemberAdded => Note,
            // A client that does not send the new member now fails; in a response it is news.
            RequiredMemberAdded | MemberBecameRequired => {
                if request {
                    Error
                } else {
                    Note
                }
            }
            // A response member that was always there may now be missing.
            MemberBecameOptional => {
                if request {
                    Note
                } else {
                    Warning
                }
            }
            // New values a client may send are harmless; new values it reads are a risk.
            EnumValueAdded | UnionMemberAdded => {
                if request {
                    Note
                } else {
                    Warning
                }
            }
            // A value a client may still send is now rejected; one it reads just stops coming.
            EnumValueRemoved | UnionMemberRemoved => {
                if request {
                    Error
                } else {
                    Note
                }
            }
            // Tightening rejects requests that used to pass; responses only get narrower.
            LengthTightened | RangeTightened => {
                if request {
                    Error
                } else {
                    Note
                }
            }
            // Loosening lets responses carry values a client may not expect.
            LengthLoosened | RangeLoosened => {
                if request {
                    Note
                } else {
                    Warning
                }
            }
            PatternAdded => {
                if request {
                    Danger
                } else {
                    Note
                }
            }
            PatternRemoved => {
                if request {
                    Note
                } else {
                    Warning
                }
            }
            PatternChanged => Warning,
            ErrorAdded => Warning,
            PaginatorRemoved | PaginatorChanged => Warning,
            // Code that waits loses its method, or waits until something else holds.
            WaiterRemoved | WaiterChanged => Warning,
        }
    }

    /// The bump the change implies for the generated crate: major when a Rust item goes away or
    /// changes type, patch for documentation, minor for everything else.
    pub fn semver(self) -> Semver {
        use Rule::*;
        match self {
            OperationRemoved | MemberRemoved | MemberRenamed | UnionMemberRemoved
            | EnumValueRemoved | MemberTypeChanged | ShapeRenamed | PaginatorRemoved
            | WaiterRemoved => Semver::Major,
            DocumentationChanged => Semver::Patch,
            _ => Semver::Minor,
        }
    }

    /// One line on what the rule means, for the reference table.
    pub fn description(self) -> &'static str {
        use Rule::*;
        match self {
            OperationAdded => "an operation was added",
            OperationRemoved => "an operation was removed",
            MemberAdded => "an optional member was added to a structure",
            RequiredMemberAdded => "a required member was added to a structure",
            MemberRemoved => "a member was removed from a structure",
            MemberRenamed => {
                "a member disappeared and another of the same shape appeared in its structure"
            }
            UnionMemberAdded => "a member was added to a union",
            UnionMemberRemoved => "a member was removed from a union",
            EnumValueAdded => "an enum value was added",
            EnumValueRemoved => "an enum value was removed",
            MemberTypeChanged => "a member now targets a shape of another type",
            ShapeRenamed => "a member now targets a differently named shape of the same type",
            MemberBecameRequired => "a member became required",
            MemberBecameOptional => "a member is no longer required",
            LengthTightened => "a length bound was added, its min raised or its max lowered",
            LengthLoosened => "a length bound was removed, its min lowered or its max raised",
            RangeTightened => "a range bound was added, its min raised or its max lowered",
            RangeLoosened => "a range bound was removed, its min lowered or its max raised",
            PatternAdded => "a pattern was added",
            PatternRemoved => "a pattern was removed",
            PatternChanged => "a pattern changed",
            HttpMethodChanged => "an operation's HTTP method changed",
            HttpUriChanged => "an operation's request URI changed",
            HttpResponseCodeChanged => "an operation's success status code changed",
            HttpLocationChanged => "a member moved between body, URI, query string and headers",
            HttpLocationNameChanged => "a member's wire name (locationName) changed",
            HttpPayloadChanged => "the member bound to the HTTP payload changed",
            TimestampFormatChanged => "a timestamp's wire format changed",
            ErrorAdded => "an operation may return a new modeled error",
            ErrorRemoved => "an operation no longer lists a modeled error",
            PaginatorAdded => "an operation gained a paginator",
            PaginatorRemoved => "an operation lost its paginator",
            PaginatorChanged => "an operation's paginator tokens or result keys changed",
            WaiterAdded => "a waiter was added",
            WaiterRemoved => "a waiter was removed",
            WaiterChanged => "a waiter's operation, delay, attempts or acceptors changed",
            DocumentationChanged => "documentation changed",
            Deprecated => "an operation, shape or member was deprecated or undeprecated",
            SensitiveChanged => "a member or shape became sensitive or stopped being sensitive",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_round_trip() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|rule| rule.id()).collect();
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }

    #[test]
    fn direction_grades_enum_values() {
        assert_eq!(Rule::EnumValueAdded.severity(Side::Request), Severity::Note);
        assert_eq!(
            Rule::EnumValueAdded.severity(Side::Response),
            Severity::Warning
        );
        assert_eq!(
            Rule::EnumValueRemoved.severity(Side::Request),
            Severity::Error
        );
        assert_eq!(Rule::EnumValueRemoved.severity(Side::Error), Severity::Note);
    }
}
