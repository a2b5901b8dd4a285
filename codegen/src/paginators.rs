//! Paginators, resolved against the model before anything is emitted: every form botocore's
//! `paginators-1.json` uses becomes Rust that reads the tokens out of a page and writes them
//! into the next input.
//!
//! Token and result expressions are the subset of JMESPath the files use: member paths
//! (`NextToken`, `EngineDefaults.Marker`), the last item of a list (`Contents[-1].Key`) and
//! alternatives (`NextMarker || Contents[-1].Key`). Several tokens, tokens of any type (maps in
//! DynamoDB, integers in S3), `more_results` and result keys at any depth are supported. A
//! paginator this cannot express is refused with the reason, never emitted half-right.

use models::{Operation, Paginator, ShapeId, ShapeKind};
use proc_macro2::TokenStream;
use quote::quote;

use crate::naming::ident;
use crate::type_space::TypeSpace;

/// A paginator ready to emit.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The body of `fn(input: &Input, page: &Output) -> Option<Input>`.
    pub(crate) next_input: TokenStream,
    /// The type of a page's results.
    pub(crate) item: TokenStream,
    /// The body of `fn(page: Output) -> Vec<Item>`.
    pub(crate) results: TokenStream,
    /// The member names of the tokens the next page is requested with.
    pub(crate) output_tokens: Vec<String>,
    /// What `.items()` yields, for the docs: the first result key.
    pub(crate) result_key: Option<String>,
}

/// One step of a path: a member, maybe followed by `[-1]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    member: String,
    last_item: bool,
}

/// Parses `a.b[-1].c || d` into its alternatives.
fn parse_expression(text: &str) -> Result<Vec<Vec<Step>>, String> {
    text.split("||")
        .map(|alternative| {
            let alternative = alternative.trim();
            if alternative.is_empty() {
                return Err(format!("`{text}` has an empty alternative"));
            }
            alternative
                .split('.')
                .map(|step| {
                    let (member, last_item) = match step.strip_suffix("[-1]") {
                        Some(member) => (member, true),
                        None => (step, false),
                    };
                    let plain = !member.is_empty()
                        && member
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if plain {
                        Ok(Step {
                            member: member.to_owned(),
                            last_item,
                        })
                    } else {
                        Err(format!(
                            "`{text}` is a JMESPath expression this generator does not support"
                        ))
                    }
                })
                .collect()
        })
        .collect()
}

/// A path resolved against the model: each step's field, and the shape at its end.
struct Resolved {
    steps: Vec<ResolvedStep>,
    shape: ShapeId,
}

struct ResolvedStep {
    field: syn::Ident,
    boxed: bool,
    last_item: bool,
}

fn resolve(
    space: &TypeSpace<'_>,
    root: ShapeId,
    path: &[Step],
    text: &str,
) -> Result<Resolved, String> {
    let mut current = root;
    let mut steps = Vec::new();
    for step in path {
        let structure = space
            .service
            .shape(current)
            .as_structure()
            .filter(|structure| !structure.is_union())
            .ok_or_else(|| format!("`{text}`: `{}` is not in a structure", step.member))?;
        let fields = space.fields(structure);
        let field = fields
            .iter()
            .find(|field| field.member.name == step.member)
            .ok_or_else(|| format!("`{text}`: no member `{}`", step.member))?;
        current = field.member.target;
        if step.last_item {
            let ShapeKind::List { member, .. } = &space.service.shape(current).kind else {
                return Err(format!("`{text}`: `{}` is not a list", step.member));
            };
            current = member.target;
        }
        steps.push(ResolvedStep {
            field: ident(&field.rust_name),
            boxed: field.boxed,
            last_item: step.last_item,
        });
    }
    if steps.is_empty() {
        return Err(format!("`{text}` names nothing"));
    }
    Ok(Resolved {
        steps,
        shape: current,
    })
}

impl Resolved {
    /// The value, borrowed from `page`: an `Option<&T>`.
    fn borrowed(&self) -> TokenStream {
        let mut access: Option<TokenStream> = None;
        for step in &self.steps {
            let name = &step.field;
            let take = if step.boxed {
                quote!(as_deref)
            } else {
                quote!(as_ref)
            };
            let mut next = match access {
                None => quote!(page.#name.#take()),
                Some(access) => quote!(#access.and_then(|value| value.#name.#take())),
            };
            if step.last_item {
                next = quote!(#next.and_then(|items| items.last()));
            }
            access = Some(next);
        }
        access.unwrap_or_default()
    }

    /// The value, moved out of `page`: an `Option<T>` (the path has no `[-1]`).
    fn owned(&self) -> TokenStream {
        let mut access: Option<TokenStream> = None;
        for step in &self.steps {
            let name = &step.field;
            let unbox = if step.boxed {
                quote!(.map(|value| *value))
            } else {
                quote!()
            };
            access = Some(match access {
                None => quote!(page.#name #unbox),
                Some(access) => quote!(#access.and_then(|value| value.#name #unbox)),
            });
        }
        access.unwrap_or_default()
    }
}

/// Whether a token of this shape has `rt::paginate::PageToken`.
fn has_page_token(space: &TypeSpace<'_>, id: ShapeId) -> bool {
    matches!(
        space.service.shape(id).kind,
        ShapeKind::String {
            enum_values: None,
            ..
        } | ShapeKind::Integer(_)
            | ShapeKind::Long(_)
            | ShapeKind::List { .. }
            | ShapeKind::Map { .. }
            | ShapeKind::Document
    )
}

/// An owned token of the input member's type, read from `page`: `Option<T>`.
fn token_value(
    space: &TypeSpace<'_>,
    output: ShapeId,
    text: &str,
    input_shape: ShapeId,
) -> Result<TokenStream, String> {
    let alternatives = parse_expression(text)?;
    let target_type = space.rust_type(input_shape).to_string();
    let mut values = Vec::new();
    for path in &alternatives {
        let resolved = resolve(space, output, path, text)?;
        let (borrowed, shape) = (resolved.borrowed(), resolved.shape);
        let found_type = space.rust_type(shape).to_string();
        let is_string =
            |id: ShapeId| matches!(space.service.shape(id).kind, ShapeKind::String { .. });
        let owned = if found_type == target_type {
            quote!(#borrowed.cloned())
        } else if is_string(shape) && is_string(input_shape) {
            // An enum and a plain string, or two enums: through the value's text.
            let target = space.rust_type(input_shape);
            quote!(#borrowed.map(|value| <#target as ::std::convert::From<&str>>::from(value.as_ref())))
        } else {
            return Err(format!(
                "`{text}` is a {} but the input token is a {}",
                space.service.shape(shape).kind.type_name(),
                space.service.shape(input_shape).kind.type_name()
            ));
        };
        values.push((owned, shape));
    }
    let mut values = values.into_iter().rev();
    let (mut combined, _) = values.next().ok_or_else(|| format!("`{text}` is empty"))?;
    for (value, shape) in values {
        let set = if has_page_token(space, shape) {
            quote!(.filter(crate::rt::paginate::PageToken::is_set))
        } else {
            quote!()
        };
        combined = quote!(#value #set .or_else(|| #combined));
    }
    Ok(combined)
}

/// Resolves the paginator of `operation`, or says why it cannot be emitted.
pub(crate) fn plan(
    space: &TypeSpace<'_>,
    operation: &Operation,
    paginator: &Paginator,
) -> Result<Plan, String> {
    let service = space.service;
    let input_id = operation.input.ok_or("the operation has no input")?;
    let output_id = operation.output.ok_or("the operation has no output")?;
    let input = service
        .shape(input_id)
        .as_structure()
        .ok_or("the input is not a structure")?;
    if paginator.input_token.len() != paginator.output_token.len() {
        return Err(format!(
            "{} input tokens but {} output tokens",
            paginator.input_token.len(),
            paginator.output_token.len()
        ));
    }
    if paginator.input_token.is_empty() {
        return Err("no input token".to_owned());
    }
    let input_fields = space.fields(input);
    let mut assignments = Vec::new();
    let mut set_checks = Vec::new();
    for (input_token, output_token) in paginator.input_token.iter().zip(&paginator.output_token) {
        let field = input_fields
            .iter()
            .find(|field| field.member.name == *input_token)
            .ok_or_else(|| format!("the input has no member `{input_token}`"))?;
        if field.boxed {
            return Err(format!("the input token `{input_token}` is recursive"));
        }
        let name = ident(&field.rust_name);
        let value = token_value(space, output_id, output_token, field.member.target)?;
        assignments.push(quote!(next.#name = #value;));
        set_checks.push(if has_page_token(space, field.member.target) {
            quote!(crate::rt::paginate::is_set(&next.#name))
        } else {
            quote!(next.#name.is_some())
        });
    }
    let more_results = match &paginator.more_results {
        Some(text) => {
            let resolved = resolve(space, output_id, &single_path(text)?, text)?;
            let borrowed = resolved.borrowed();
            if !matches!(service.shape(resolved.shape).kind, ShapeKind::Boolean) {
                return Err(format!("`more_results` `{text}` is not a boolean"));
            }
            quote! {
                if #borrowed != ::std::option::Option::Some(&true) {
                    return ::std::option::Option::None;
                }
            }
        }
        None => quote!(),
    };
    let next_input = quote! {
        #more_results
        let mut next = input.clone();
        #(#assignments)*
        if #(!#set_checks)&&* {
            return ::std::option::Option::None;
        }
        ::std::option::Option::Some(next)
    };
    let (item, results) = match paginator.result_key.first() {
        Some(text) => result_key(space, output_id, text)?,
        None => (space.rust_type(output_id), quote!(::std::vec![page])),
    };
    Ok(Plan {
        next_input,
        item,
        results,
        output_tokens: paginator.output_token.clone(),
        result_key: paginator.result_key.first().cloned(),
    })
}

fn single_path(text: &str) -> Result<Vec<Step>, String> {
    let mut alternatives = parse_expression(text)?;
    match (alternatives.pop(), alternatives.is_empty()) {
        (Some(path), true) if path.iter().all(|step| !step.last_item) => Ok(path),
        _ => Err(format!("`{text}` must be a member path")),
    }
}

/// The item type and the body of `fn(page) -> Vec<Item>` for a result key.
fn result_key(
    space: &TypeSpace<'_>,
    output: ShapeId,
    text: &str,
) -> Result<(TokenStream, TokenStream), String> {
    let resolved = resolve(space, output, &single_path(text)?, text)?;
    let owned = resolved.owned();
    Ok(match &space.service.shape(resolved.shape).kind {
        ShapeKind::List { member, .. } => (
            space.rust_type(member.target),
            quote!(#owned.unwrap_or_default()),
        ),
        // A count or a map: one result per page.
        _ => (
            space.rust_type(resolved.shape),
            quote!(#owned.into_iter().collect()),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_of_every_form_botocore_uses() {
        let step = |member: &str, last_item| Step {
            member: member.to_owned(),
            last_item,
        };
        assert_eq!(
            parse_expression("NextToken").unwrap(),
            [vec![step("NextToken", false)]]
        );
        assert_eq!(
            parse_expression("EngineDefaults.Marker").unwrap(),
            [vec![step("EngineDefaults", false), step("Marker", false)]]
        );
        assert_eq!(
            parse_expression("NextMarker || Contents[-1].Key").unwrap(),
            [
                vec![step("NextMarker", false)],
                vec![step("Contents", true), step("Key", false)]
            ]
        );
        assert!(parse_expression("Items[?Name=='a']").is_err());
        assert!(parse_expression("a || ").is_err());
    }
}
