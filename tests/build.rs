//! Writes `$OUT_DIR/inputs.rs`: a dispatch from every Connect operation input shape to its
//! generated Rust type, so model-driven tests can validate inputs they build as JSON.

use std::collections::BTreeSet;
use std::path::Path;

use quote::quote;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let model = root.join("service-json/connect/2017-08-08/service-2.json");
    println!("cargo::rerun-if-changed={}", model.display());
    let service = match models::load_service_files(&model, None) {
        Ok(service) => service,
        Err(error) => panic!("the Connect model does not load: {error}"),
    };
    let names = codegen::rust_names(&service);
    let inputs: BTreeSet<models::ShapeId> = service
        .operations
        .values()
        .filter_map(|operation| operation.input)
        .collect();
    let arms = inputs.iter().map(|id| {
        let shape = service.shape(*id);
        let shape_name = &shape.name;
        let rust = &names[shape_name];
        let type_name = codegen::naming::ident(&rust.type_name);
        // Members outside the body are set one by one from their plain JSON form.
        let extras = shape.as_structure().into_iter().flat_map(|structure| {
            structure.members.iter().filter(|member| {
                member.location != models::Location::Body
                    && !matches!(
                        service.shape(member.target).kind,
                        models::ShapeKind::Timestamp { .. }
                    )
            })
        });
        let sets: Vec<_> = extras
            .map(|member| {
                let name = &member.name;
                let field = codegen::naming::ident(&rust.members[name]);
                quote! {
                    if let Some(extra) = extras.get(#name) {
                        value.#field = Some(serde_json::from_value(extra.clone())?);
                    }
                }
            })
            .collect();
        let binding = if sets.is_empty() {
            quote!(value)
        } else {
            quote!(mut value)
        };
        quote! {
            #shape_name => Some(run(options, || {
                let #binding: connect::types::#type_name = serde_json::from_value(body.clone())?;
                #(#sets)*
                Ok(value)
            })),
        }
    });
    let code = quote! {
        /// Validates input shape `shape` built from `body` (its JSON body form) and `extras`
        /// (members bound outside the body, by member name); `None` for an unknown shape.
        pub fn validate_input(
            shape: &str,
            body: &serde_json::Value,
            extras: &serde_json::Map<String, serde_json::Value>,
            options: connect::ValidateOptions,
        ) -> Option<Result<Vec<(String, String)>, serde_json::Error>> {
            match shape {
                #(#arms)*
                _ => None,
            }
        }
    };
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("inputs.rs");
    let file: syn::File = syn::parse2(code).expect("the dispatch parses");
    std::fs::write(&out, prettyplease::unparse(&file)).expect("OUT_DIR is writable");
}
