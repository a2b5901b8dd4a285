//! Printing generated files: each item as prettyplease prints it, one by one, joined with a
//! blank line, as rustfmt-formatted hand-written code reads. `use` declarations stay together,
//! and the items of an `impl` or a `trait` are printed one by one too, each inside a copy of
//! their block, and joined the same way.

use proc_macro2::TokenStream;

/// Parses `tokens` as a file and prints it: inner attributes, then the items.
pub(crate) fn print_file(tokens: TokenStream) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(tokens)?;
    Ok(print_parsed(file))
}

/// Prints the items of `tokens` (no inner attributes), for files assembled in parts.
pub(crate) fn print_items(tokens: TokenStream) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(tokens)?;
    Ok(join_items(&file.items))
}

fn print_parsed(mut file: syn::File) -> String {
    let items = std::mem::take(&mut file.items);
    let mut out = String::new();
    if !file.attrs.is_empty() {
        out.push_str(&prettyplease::unparse(&file));
    }
    let body = join_items(&items);
    if !out.is_empty() && !body.is_empty() {
        out.push('\n');
    }
    out.push_str(&body);
    out
}

/// Items, each printed alone, separated by one blank line; consecutive `use` declarations,
/// and consecutive `mod` declarations, stay together as rustfmt leaves them.
fn join_items(items: &[syn::Item]) -> String {
    #[derive(PartialEq)]
    enum Group {
        Use,
        Mod,
        Other,
    }
    let group = |item: &syn::Item| match item {
        syn::Item::Use(_) => Group::Use,
        syn::Item::Mod(module) if module.content.is_none() => Group::Mod,
        _ => Group::Other,
    };
    let mut out = String::new();
    let mut previous = Group::Other;
    for item in items {
        let current = group(item);
        if !out.is_empty() && (current == Group::Other || current != previous) {
            out.push('\n');
        }
        out.push_str(&print_item(item));
        previous = current;
    }
    out
}

fn print_item(item: &syn::Item) -> String {
    match item {
        syn::Item::Impl(block) if block.items.len() > 1 => {
            let members = block.items.iter().map(|member| {
                let mut single = block.clone();
                single.items = vec![member.clone()];
                syn::Item::Impl(single)
            });
            let mut empty = block.clone();
            empty.items.clear();
            print_block(&syn::Item::Impl(empty), members)
        }
        syn::Item::Trait(block) if block.items.len() > 1 => {
            let members = block.items.iter().map(|member| {
                let mut single = block.clone();
                single.items = vec![member.clone()];
                syn::Item::Trait(single)
            });
            let mut empty = block.clone();
            empty.items.clear();
            print_block(&syn::Item::Trait(empty), members)
        }
        other => unparse_one(other),
    }
}

/// An `impl` or `trait` whose members are printed one by one: `empty` is the block without
/// members (its header, then `{}`), each of `singles` the block with one member. A single's
/// lines are the header's, the member's, then the closing brace. Functions are separated by a
/// blank line; consecutive associated types and constants are not.
fn print_block(empty: &syn::Item, singles: impl Iterator<Item = syn::Item>) -> String {
    let empty = unparse_one(empty);
    let header: Vec<&str> = empty.lines().collect();
    let Some((last, before)) = header.split_last() else {
        return String::new();
    };
    let mut out = String::new();
    for line in before {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(last.strip_suffix("{}").unwrap_or(last));
    out.push_str("{\n");
    let mut previous_was_fn = None;
    for single in singles {
        let is_fn = match &single {
            syn::Item::Impl(block) => matches!(block.items.first(), Some(syn::ImplItem::Fn(_))),
            syn::Item::Trait(block) => matches!(block.items.first(), Some(syn::TraitItem::Fn(_))),
            _ => true,
        };
        let printed = unparse_one(&single);
        let lines: Vec<&str> = printed.lines().collect();
        let end = lines.len().saturating_sub(1);
        let member = lines.get(header.len()..end).unwrap_or_default();
        // Associated types and constants stay together; functions stand apart.
        if previous_was_fn.is_some_and(|previous| previous || is_fn) {
            out.push('\n');
        }
        previous_was_fn = Some(is_fn);
        for line in member {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("}\n");
    out
}

fn unparse_one(item: &syn::Item) -> String {
    let mut file: syn::File = syn::parse_quote!();
    file.items.push(item.clone());
    prettyplease::unparse(&file)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn items_and_impl_members_are_separated_by_one_blank_line() {
        let printed = print_file(quote! {
            //! Docs.
            #![allow(dead_code)]
            use a::b;
            use c::d;
            mod m;
            pub mod n;
            pub(crate) struct S;
            impl S {
                /// One.
                pub(crate) fn one(&self) -> u8 { 1 }
                fn two(&self) -> u8 where Self: Sized { 2 }
            }
            impl Clone for S { fn clone(&self) -> Self { S } }
            impl Iterator for S { type Item = u8; const N: u8 = 1; fn next(&mut self) -> Option<u8> { None } }
            pub(crate) trait T {
                fn a(&self);
                fn b(&self) {}
            }
        })
        .unwrap();
        let expected = "\
//! Docs.
#![allow(dead_code)]

use a::b;
use c::d;

mod m;
pub mod n;

pub(crate) struct S;

impl S {
    /// One.
    pub(crate) fn one(&self) -> u8 {
        1
    }

    fn two(&self) -> u8
    where
        Self: Sized,
    {
        2
    }
}

impl Clone for S {
    fn clone(&self) -> Self {
        S
    }
}

impl Iterator for S {
    type Item = u8;
    const N: u8 = 1;

    fn next(&mut self) -> Option<u8> {
        None
    }
}

pub(crate) trait T {
    fn a(&self);

    fn b(&self) {}
}
";
        assert_eq!(printed, expected);
    }

    #[test]
    fn multi_line_headers_are_kept() {
        let printed = print_file(quote! {
            impl<T> Trait for Type<T> where T: Clone + Send + Sync + 'static + std::fmt::Debug + Default {
                fn a(&self) {}
                fn b(&self) {}
            }
        })
        .unwrap();
        assert!(printed.contains("where\n    T: Clone"), "{printed}");
        assert!(
            printed.contains("{\n    fn a(&self) {}\n\n    fn b(&self) {}\n}\n"),
            "{printed}"
        );
    }
}
