//! Every Rust name the generator emits is decided here.
//!
//! Model names become idiomatic Rust (heck for case), words Rust reserves become raw identifiers
//! or get a suffix when they cannot be raw (`self`, `Self`, `super`, `crate`, `extern`), names that
//! would shadow the prelude or our own API are renamed, and names that collide after conversion
//! are de-duplicated deterministically. The wire name is always kept separately for
//! (de)serialization, so renaming never changes what goes over the network.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Keywords of every edition up to 2024 (strict and reserved), which need `r#` as identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static",
    "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual",
    "where", "while", "yield",
];

/// Words that cannot be raw identifiers either; they get a trailing underscore.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "extern", "_"];

/// Type names a glob import of our types would shadow: the prelude, and the names of our own
/// runtime items at the crate root.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    // Our own API, at the crate root.
    "Blob",
    "DateTime",
    "Document",
    "UnknownMember",
    "UnknownValue",
];

/// The variant that keeps values and members the model does not know.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// Builds an identifier from a name already made valid by this module.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `DescribeContactRequest` → `DescribeContactRequest`, `ARN` → `Arn`, `String` → `StringShape`.
pub fn type_name(model_name: &str) -> String {
    let name = upper_camel(model_name, "Shape");
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) || NOT_RAW.contains(&name.as_str()) {
        format!("{name}Shape")
    } else {
        name
    }
}

/// `InstanceId` → `instance_id`, `Type` → `r#type`, `Self` → `self_`.
pub fn field_name(model_name: &str) -> String {
    let mut name = model_name.to_snake_case();
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() {
        name = "field".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    escape_keyword(name)
}

/// `VOICE` → `Voice`, `en-US` → `EnUs`, `UNKNOWN` → `UnknownValue` (the catch-all is `Unknown`).
pub fn variant_name(model_value: &str) -> String {
    let name = upper_camel(model_value, "V");
    if name == UNKNOWN_VARIANT {
        "UnknownValue".to_owned()
    } else if NOT_RAW.contains(&name.as_str()) {
        format!("{name}Value")
    } else {
        name
    }
}

/// Methods every generated `Client` has besides its operations, and the methods of the traits
/// it implements or that are in every scope: an operation must not take one of these names.
pub const CLIENT_METHODS: &[&str] = &[
    "as_ref",
    "borrow",
    "borrow_mut",
    "call_operation",
    "clone",
    "clone_from",
    "clone_into",
    "config",
    "endpoint",
    "eq",
    "fmt",
    "from",
    "from_env",
    "into",
    "ne",
    "new",
    "presign",
    "service_client",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// The names of an operation's items: its client method, its paginator method, its marker
/// type and its error enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationNames {
    /// `describe_contact`: the method on `Client` and the service trait.
    pub method: String,
    /// `list_instances_pages`, for paginated operations.
    pub pages: Option<String>,
    /// `DescribeContact`: the marker type in the `operations` module.
    pub marker: String,
    /// `DescribeContactError`: the operation's error enum.
    pub error: String,
}

/// Names for every operation, given as `(model name, paginated)` in model order. Operations
/// whose names convert to the same Rust name, or to a method the client already has, get
/// numbered names; markers and error enums share the `operations` module, methods and
/// paginator methods the client.
pub fn operation_names<'a>(
    operations: impl IntoIterator<Item = (&'a str, bool)>,
) -> Vec<OperationNames> {
    let operations: Vec<(&str, bool)> = operations.into_iter().collect();
    let mut types = Scope::default();
    let markers: Vec<String> = operations
        .iter()
        .map(|(name, _)| types.claim(type_name(name)))
        .collect();
    let errors: Vec<String> = markers
        .iter()
        .map(|marker| types.claim(format!("{marker}Error")))
        .collect();
    let mut methods = Scope::with_reserved(CLIENT_METHODS.iter().copied());
    let method_names: Vec<String> = operations
        .iter()
        .map(|(name, _)| methods.claim(field_name(name)))
        .collect();
    let mut names: Vec<OperationNames> = operations
        .iter()
        .zip(markers)
        .zip(errors)
        .zip(method_names)
        .map(|(((_, marker), error), method)| OperationNames {
            method,
            pages: None,
            marker,
            error,
        })
        .collect();
    for (names, (_, paginated)) in names.iter_mut().zip(&operations) {
        if *paginated {
            let base = names.method.trim_start_matches("r#");
            names.pages = Some(methods.claim(format!("{base}_pages")));
        }
    }
    names
}

/// The names of a waiter's items: its method on the client and the service trait, and its
/// static in the `waiters` module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterNames {
    /// `wait_until_table_exists`.
    pub method: String,
    /// `TABLE_EXISTS`.
    pub constant: String,
}

/// Names for every waiter, given by model name in order; `operations` are the names the
/// client's methods already use.
pub fn waiter_names<'a>(
    waiters: impl IntoIterator<Item = &'a str>,
    operations: &[&OperationNames],
) -> Vec<WaiterNames> {
    let mut methods = Scope::with_reserved(
        CLIENT_METHODS
            .iter()
            .copied()
            .chain(operations.iter().map(|names| names.method.as_str()))
            .chain(operations.iter().filter_map(|names| names.pages.as_deref())),
    );
    let mut constants = Scope::default();
    waiters
        .into_iter()
        .map(|name| {
            let snake = field_name(name);
            let snake = snake.trim_start_matches("r#");
            WaiterNames {
                method: methods.claim(format!("wait_until_{snake}")),
                constant: constants.claim(snake.trim_start_matches('_').to_uppercase()),
            }
        })
        .collect()
}

/// `with_instance_id` for field `instance_id` (raw prefixes and leading underscores dropped:
/// `with__3d` would not be snake case).
pub fn setter_name(field: &str) -> String {
    format!(
        "with_{}",
        field.trim_start_matches("r#").trim_start_matches('_')
    )
}

/// Upper camel case with only ASCII alphanumerics; a leading digit gets `digit_prefix`.
fn upper_camel(model_name: &str, digit_prefix: &str) -> String {
    let mut name = model_name.to_upper_camel_case();
    name.retain(|c| c.is_ascii_alphanumeric());
    if name.is_empty() {
        // Values such as `*` or `+` have no letters at all; spell their code points.
        name = model_name
            .chars()
            .map(|c| format!("U{:X}", u32::from(c)))
            .collect();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, digit_prefix);
    }
    name
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Hands out names unique within one scope (a struct's fields, an enum's variants, a module's
/// types). The first claimant of a name keeps it; later ones get `2`, `3`, ... appended (with an
/// underscore for snake case), in the order they are claimed, so results are deterministic.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which the given names are already used.
    pub fn with_reserved<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Scope {
            taken: names.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Claims `name`, or the first free numbered form of it.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let separator = if name.contains('_') || name.starts_with(char::is_lowercase) {
            "_"
        } else {
            ""
        };
        let base = name.trim_start_matches("r#");
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let cases = [
            ("DescribeContactRequest", "DescribeContactRequest"),
            ("ARN", "Arn"),
            ("String", "StringShape"),
            ("Option", "OptionShape"),
            ("Result", "ResultShape"),
            ("Box", "BoxShape"),
            ("Self", "SelfShape"),
            ("self", "SelfShape"),
            ("type", "Type"),
            ("gen", "Gen"),
            ("Document", "DocumentShape"),
            ("3DSecure", "Shape3dSecure"),
            ("Foo.Bar", "FooBar"),
        ];
        for (model, rust) in cases {
            assert_eq!(type_name(model), rust, "type name of {model}");
        }
    }

    #[test]
    fn field_names() {
        let cases = [
            ("InstanceId", "instance_id"),
            ("Type", "r#type"),
            ("type", "r#type"),
            ("match", "r#match"),
            ("gen", "r#gen"),
            ("ref", "r#ref"),
            ("r#ref", "r_ref"),
            ("Self", "self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("extern", "extern_"),
            ("_", "field"),
            ("S3Uri", "s3_uri"),
            ("1stPlace", "_1st_place"),
            ("ARN", "arn"),
        ];
        for (model, rust) in cases {
            assert_eq!(field_name(model), rust, "field name of {model}");
        }
    }

    #[test]
    fn variant_names() {
        let cases = [
            ("VOICE", "Voice"),
            ("en-US", "EnUs"),
            ("Times New Roman", "TimesNewRoman"),
            ("UNKNOWN", "UnknownValue"),
            ("SELF", "SelfValue"),
            ("1_HOUR", "V1Hour"),
            ("*", "U2A"),
        ];
        for (model, rust) in cases {
            assert_eq!(variant_name(model), rust, "variant name of {model}");
        }
    }

    #[test]
    fn identifiers_are_valid() {
        for name in ["r#type", "self_", "instance_id", "Shape3dSecure"] {
            assert_eq!(ident(name).to_string(), name);
        }
    }

    #[test]
    fn scope_deduplicates_in_claim_order() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("arn".to_owned()), "arn");
        assert_eq!(scope.claim("arn".to_owned()), "arn_2");
        assert_eq!(scope.claim("arn".to_owned()), "arn_3");
        assert_eq!(scope.claim("Voice".to_owned()), "Voice");
        assert_eq!(scope.claim("Voice".to_owned()), "Voice2");
        assert_eq!(scope.claim("r#type".to_owned()), "r#type");
        assert_eq!(scope.claim("r#type".to_owned()), "type_2");
        let mut reserved = Scope::with_reserved([UNKNOWN_VARIANT]);
        assert_eq!(reserved.claim("Unknown".to_owned()), "Unknown2");
    }

    #[test]
    fn operations_never_share_a_name_or_take_the_clients() {
        let names = operation_names([
            ("Invoke", false),
            ("New", false),
            ("Config", false),
            ("Call", false),
            ("ListFoo", true),
            ("ListFOO", false),
            ("ListFooPages", false),
            ("Describe", false),
            ("DescribeError", false),
        ]);
        let methods: Vec<&str> = names.iter().map(|n| n.method.as_str()).collect();
        assert_eq!(
            methods,
            [
                "invoke",
                "new_2",
                "config_2",
                "call",
                "list_foo",
                "list_foo_2",
                "list_foo_pages",
                "describe",
                "describe_error"
            ]
        );
        assert_eq!(names[4].pages.as_deref(), Some("list_foo_pages_2"));
        let types: Vec<(&str, &str)> = names
            .iter()
            .map(|n| (n.marker.as_str(), n.error.as_str()))
            .collect();
        assert_eq!(types[4], ("ListFoo", "ListFooError"));
        assert_eq!(types[5], ("ListFoo2", "ListFoo2Error"));
        assert_eq!(types[7], ("Describe", "DescribeError2"));
        assert_eq!(types[8], ("DescribeError", "DescribeErrorError"));
    }

    #[test]
    fn setters() {
        assert_eq!(setter_name("r#type"), "with_type");
        assert_eq!(setter_name("instance_id"), "with_instance_id");
        assert_eq!(setter_name("_3d_secure"), "with_3d_secure");
    }
}
