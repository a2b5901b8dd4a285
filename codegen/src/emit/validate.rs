//! `Validate` impls: every constraint of the model as straight-line checks, recursing through
//! lists, maps and nested types, and the table of compiled patterns they share.

use std::collections::BTreeMap;

use heck::ToShoutySnakeCase;
use models::{Length, Service, ShapeId, ShapeKind};
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use crate::naming::{Scope, ident};
use crate::patterns::{PatternNote, Translation, translate};
use crate::type_space::{Field, TypeSpace};

/// Every distinct pattern of the model, named after the first shape (by name) that uses it.
#[derive(Debug)]
pub(crate) struct PatternTable {
    entries: BTreeMap<String, PatternEntry>,
}

#[derive(Debug)]
struct PatternEntry {
    shape: String,
    static_name: String,
    translation: Translation,
}

impl PatternTable {
    pub(crate) fn new(service: &Service) -> Self {
        let mut entries = BTreeMap::new();
        let mut scope = Scope::default();
        // Patterns of shapes, then those member references state themselves. An enum's
        // pattern is never checked (its values are the model's, and an unknown one is reported
        // as such), so it gets no static.
        let is_enum = |id: models::ShapeId| {
            matches!(
                service.shape(id).kind,
                ShapeKind::String {
                    enum_values: Some(_),
                    ..
                }
            )
        };
        let of_shapes = service.shapes.iter().filter_map(|shape| match &shape.kind {
            ShapeKind::String {
                pattern: Some(pattern),
                enum_values: None,
                ..
            } => Some((pattern, &shape.name)),
            _ => None,
        });
        let of_members = service.shapes.iter().flat_map(|shape| {
            let members = shape.as_structure().map(|s| s.members.as_slice());
            members
                .unwrap_or_default()
                .iter()
                .filter_map(move |member| {
                    let pattern = member.constraints.pattern.as_ref()?;
                    (!is_enum(member.target)).then_some((pattern, &shape.name))
                })
        });
        for (pattern, shape) in of_shapes.chain(of_members) {
            entries
                .entry(pattern.clone())
                .or_insert_with(|| PatternEntry {
                    shape: shape.clone(),
                    static_name: scope.claim(shape.to_shouty_snake_case()),
                    translation: translate(pattern),
                });
        }
        PatternTable { entries }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The static of an enforceable pattern; `None` for no pattern or an unusable one.
    fn static_name(&self, pattern: Option<&String>) -> Option<syn::Ident> {
        let entry = self.entries.get(pattern?)?;
        matches!(entry.translation, Translation::Ready { .. }).then(|| ident(&entry.static_name))
    }

    /// What to tell a reader of the docs about a pattern that is repaired or not enforced.
    pub(crate) fn doc_note(&self, pattern: &str) -> Option<String> {
        match &self.entries.get(pattern)?.translation {
            Translation::Ready { repair, .. } => repair.map(|repair| {
                if repair.weakens {
                    format!("enforced in a weaker form ({repair})")
                } else {
                    format!("enforced after a repair ({repair})")
                }
            }),
            Translation::Unusable { reason } => Some(format!("not enforced ({reason})")),
        }
    }

    /// Repaired and unusable patterns, for `generate` to report.
    pub(crate) fn notes(&self) -> Vec<PatternNote> {
        self.entries
            .iter()
            .filter_map(|(pattern, entry)| {
                let note = match &entry.translation {
                    Translation::Ready { repair: None, .. } => return None,
                    Translation::Ready {
                        repair: Some(repair),
                        ..
                    } if repair.weakens => format!("weakened: {repair}"),
                    Translation::Ready {
                        repair: Some(repair),
                        ..
                    } => format!("repaired: {repair}"),
                    Translation::Unusable { reason } => format!("not enforced: {reason}"),
                };
                Some(PatternNote {
                    shape: entry.shape.clone(),
                    pattern: pattern.clone(),
                    note,
                })
            })
            .collect()
    }

    /// `patterns.rs`: one lazily compiled static per enforceable pattern.
    pub(crate) fn file(&self) -> TokenStream {
        let statics = self.entries.iter().filter_map(|(pattern, entry)| {
            let Translation::Ready { regex, .. } = &entry.translation else {
                return None;
            };
            let name = ident(&entry.static_name);
            let doc = format!(" `{pattern}` (first used by `{}`)", entry.shape);
            Some(quote! {
                #[doc = #doc]
                pub(crate) static #name: crate::validate::Pattern = crate::validate::Pattern::new(#pattern, #regex);
            })
        });
        quote! {
            //! The model's patterns, compiled on first use.
            #(#statics)*
        }
    }
}

/// `impl Validate` for a structure.
pub(crate) fn structure_impl(
    space: &TypeSpace<'_>,
    name: &syn::Ident,
    fields: &[Field<'_>],
) -> TokenStream {
    let mut checks = Vec::new();
    for field in fields {
        let member = field.member;
        let wire = member.name.as_str();
        let field_name = ident(&field.rust_name);
        if member.required {
            checks.push(quote!(validator.required(path, #wire, &self.#field_name);));
        }
        let kind = effective_kind(space, member);
        // A stream's length is known only as it is read.
        if let Some(value_checks) = kind_checks(space, &kind, quote!(value), field.sensitive)
            && !field.streaming
        {
            checks.push(quote! {
                if let ::std::option::Option::Some(value) = &self.#field_name {
                    let path = path.member(#wire);
                    #value_checks
                }
            });
        }
    }
    check_impl(name, quote!(#(#checks)*), checks.is_empty())
}

/// `impl Validate` for a union: the member that is set, or an unknown member on request.
pub(crate) fn union_impl(
    space: &TypeSpace<'_>,
    name: &syn::Ident,
    variants: &[Field<'_>],
) -> TokenStream {
    let arms = variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let wire = variant.member.name.as_str();
        let kind = effective_kind(space, variant.member);
        match kind_checks(space, &kind, quote!(value), variant.sensitive) {
            Some(checks) => quote! {
                Self::#variant_name(value) => {
                    let path = path.member(#wire);
                    #checks
                }
            },
            None => quote!(Self::#variant_name(_) => {}),
        }
    });
    let body = quote! {
        match self {
            #(#arms)*
            Self::Unknown(member) => validator.unknown_union_member(path, member.name()),
        }
    };
    check_impl(name, body, false)
}

/// `impl Validate` for an enum: values the model does not list, on request.
pub(crate) fn enum_impl(name: &syn::Ident) -> TokenStream {
    let body = quote! {
        if let Self::Unknown(value) = self {
            validator.unknown_enum_value(path, value.as_str());
        }
    };
    check_impl(name, body, false)
}

fn check_impl(name: &syn::Ident, body: TokenStream, empty: bool) -> TokenStream {
    let (path, validator) = if empty {
        (quote!(_path), quote!(_validator))
    } else {
        (quote!(path), quote!(validator))
    };
    quote! {
        impl crate::Validate for #name {
            fn check(&self, #path: &crate::validate::Path<'_>, #validator: &mut crate::validate::Validator) {
                #body
            }
        }
    }
}

/// A member's target kind with the constraints the member reference states merged over it,
/// as botocore merges a reference's traits over its target.
pub(crate) fn effective_kind(space: &TypeSpace<'_>, member: &models::Member) -> ShapeKind {
    let mut kind = space.service.shape(member.target).kind.clone();
    let overrides = &member.constraints;
    if overrides.is_empty() {
        return kind;
    }
    let length = |length: &mut Length| {
        let whole = |bound: f64| (bound >= 0.0 && bound.fract() == 0.0).then_some(bound as u64);
        if let Some(min) = overrides.min.and_then(whole) {
            length.min = Some(min);
        }
        if let Some(max) = overrides.max.and_then(whole) {
            length.max = Some(max);
        }
    };
    match &mut kind {
        ShapeKind::String {
            length: string_length,
            pattern,
            ..
        } => {
            length(string_length);
            if let Some(override_pattern) = &overrides.pattern {
                *pattern = Some(override_pattern.clone());
            }
        }
        ShapeKind::Blob {
            length: blob_length,
            ..
        }
        | ShapeKind::List {
            length: blob_length,
            ..
        }
        | ShapeKind::Map {
            length: blob_length,
            ..
        } => length(blob_length),
        ShapeKind::Integer(range) | ShapeKind::Long(range) => {
            let whole =
                |bound: f64| (bound.fract() == 0.0 && bound.abs() < 9.0e15).then_some(bound as i64);
            range.min = overrides.min.and_then(whole).or(range.min);
            range.max = overrides.max.and_then(whole).or(range.max);
        }
        ShapeKind::Float(range) | ShapeKind::Double(range) => {
            range.min = overrides.min.or(range.min);
            range.max = overrides.max.or(range.max);
        }
        _ => {}
    }
    kind
}

/// The checks on `value` (a reference to a value of shape `id`, which sits at `path`), or
/// `None` when the shape constrains nothing.
fn value_checks(
    space: &TypeSpace<'_>,
    id: ShapeId,
    value: TokenStream,
    sensitive: bool,
) -> Option<TokenStream> {
    kind_checks(space, &space.service.shape(id).kind, value, sensitive)
}

/// The checks on `value`, a value of a shape of kind `kind`.
fn kind_checks(
    space: &TypeSpace<'_>,
    kind: &ShapeKind,
    value: TokenStream,
    sensitive: bool,
) -> Option<TokenStream> {
    match kind {
        ShapeKind::Structure(_)
        | ShapeKind::String {
            enum_values: Some(_),
            ..
        } => Some(quote!(crate::Validate::check(#value, &path, validator);)),
        ShapeKind::String {
            length, pattern, ..
        } => {
            let pattern_ref = match space.patterns.static_name(pattern.as_ref()) {
                Some(name) => quote!(::std::option::Option::Some(&crate::patterns::#name)),
                None if length == &Length::default() => return None,
                None => quote!(::std::option::Option::None),
            };
            let (min, max) = length_bounds(*length);
            Some(quote!(validator.string(&path, #value, #min, #max, #pattern_ref, #sensitive);))
        }
        ShapeKind::Integer(range) | ShapeKind::Long(range) => {
            if range.min.is_none() && range.max.is_none() {
                return None;
            }
            let min = range.min.map_or(quote!(i64::MIN), |min| {
                Literal::i64_unsuffixed(min).into_token_stream()
            });
            let max = range.max.map_or(quote!(i64::MAX), |max| {
                Literal::i64_unsuffixed(max).into_token_stream()
            });
            let actual = match kind {
                ShapeKind::Integer(_) => quote!(i64::from(*#value)),
                _ => quote!(*#value),
            };
            Some(quote!(validator.int_range(&path, #actual, #min, #max, #sensitive);))
        }
        ShapeKind::Float(range) | ShapeKind::Double(range) => {
            if range.min.is_none() && range.max.is_none() {
                return None;
            }
            let min = range.min.map_or(quote!(f64::NEG_INFINITY), |min| {
                Literal::f64_unsuffixed(min).into_token_stream()
            });
            let max = range.max.map_or(quote!(f64::INFINITY), |max| {
                Literal::f64_unsuffixed(max).into_token_stream()
            });
            let actual = match kind {
                ShapeKind::Float(_) => quote!(f64::from(*#value)),
                _ => quote!(*#value),
            };
            Some(quote!(validator.float_range(&path, #actual, #min, #max, #sensitive);))
        }
        ShapeKind::Blob { length, .. } => length_check(*length, &value, quote!(Bytes)),
        ShapeKind::List { member, length, .. } => {
            let length = length_check(*length, &value, quote!(Entries));
            let items = value_checks(space, member.target, quote!(item), sensitive).map(|checks| {
                quote! {
                    for (index, item) in #value.iter().enumerate() {
                        let path = path.index(index);
                        #checks
                    }
                }
            });
            (length.is_some() || items.is_some()).then(|| quote!(#length #items))
        }
        ShapeKind::Map {
            key,
            value: entry,
            length,
            ..
        } => {
            let length = length_check(*length, &value, quote!(Entries));
            let key_checks = value_checks(space, key.target, quote!(key), false);
            let item_checks = value_checks(space, entry.target, quote!(item), sensitive);
            let entries = match (&key_checks, &item_checks) {
                (None, None) => None,
                (Some(key_checks), None) => Some(quote! {
                    for key in #value.keys() {
                        let path = path.key(key.as_ref());
                        #key_checks
                    }
                }),
                _ => Some(quote! {
                    for (key, item) in #value {
                        let path = path.key(key.as_ref());
                        #key_checks
                        #item_checks
                    }
                }),
            };
            (length.is_some() || entries.is_some()).then(|| quote!(#length #entries))
        }
        ShapeKind::Document | ShapeKind::Boolean | ShapeKind::Timestamp { .. } => None,
    }
}

fn length_check(length: Length, value: &TokenStream, unit: TokenStream) -> Option<TokenStream> {
    if length == Length::default() {
        return None;
    }
    let (min, max) = length_bounds(length);
    Some(
        quote!(validator.length(&path, #value.len(), #min, #max, crate::validate::LengthUnit::#unit);),
    )
}

/// Length bounds, with 0 and `u64::MAX` for "no bound".
fn length_bounds(length: Length) -> (TokenStream, TokenStream) {
    let min = Literal::u64_unsuffixed(length.min.unwrap_or(0));
    let max = length.max.map_or(quote!(u64::MAX), |max| {
        Literal::u64_unsuffixed(max).into_token_stream()
    });
    (quote!(#min), max)
}
