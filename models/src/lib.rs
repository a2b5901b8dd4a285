//! Loads botocore service models (`service-2.json`, `paginators-1.json`, `waiters-2.json`) into a
//! resolved, typed intermediate representation.
//!
//! ```no_run
//! let service = models::load_service_files("service-2.json".as_ref(), None)?;
//! println!("{} operations", service.operations.len());
//! # Ok::<(), models::LoadError>(())
//! ```
//!
//! Loading never panics on a bad model: every problem is collected with the JSON path where it
//! was found and reported at once in a [`ModelError`].

mod error;
mod graph;
mod ir;
mod load;

use std::path::{Path, PathBuf};

pub use error::{ModelError, Problem, ProblemKind};
pub use graph::{UnknownOperations, reachable_shapes};
pub use ir::*;
pub use load::{ModelText, load_service, load_service_with_extras, load_waiters};

/// Why a model file could not be loaded: it could not be read, or its content is wrong.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// Reads and loads a `service-2.json` file and, if given, its `paginators-1.json`, each with
/// the `*.sdk-extras.json` beside it (`service-2.sdk-extras.json`), as botocore's loader does.
pub fn load_service_files(service: &Path, paginators: Option<&Path>) -> Result<Service, LoadError> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.to_owned(),
            source,
        })
    };
    let extras = |path: &Path| -> Result<Option<String>, LoadError> {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let extras = path.with_file_name(format!("{stem}.sdk-extras.json"));
        extras.is_file().then(|| read(&extras)).transpose()
    };
    let service_text = read(service)?;
    let service_extras = extras(service)?;
    let paginators_text = paginators.map(read).transpose()?;
    let paginators_extras = paginators.map(extras).transpose()?.flatten();
    Ok(load_service_with_extras(
        &service.display().to_string(),
        ModelText {
            text: &service_text,
            extras: service_extras.as_deref(),
        },
        paginators_text.as_deref().map(|text| ModelText {
            text,
            extras: paginators_extras.as_deref(),
        }),
    )?)
}

/// Reads an `endpoint-rule-set-1.json` file, as compact JSON text: the generated crate carries
/// it and the runtime reads it (`botocore_runtime::endpoint_rules`), so that is where its rules
/// are checked; here only that it is a JSON object.
pub fn load_endpoint_rules_file(path: &Path) -> Result<String, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    let name = path.display().to_string();
    let not_json = |reason: String| {
        LoadError::Model(ModelError {
            source_name: name.clone(),
            problems: vec![Problem {
                path: String::new(),
                kind: ProblemKind::InvalidValue {
                    value: "the file".to_owned(),
                    reason,
                },
            }],
        })
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(json @ serde_json::Value::Object(_)) => Ok(json.to_string()),
        Ok(_) => Err(not_json("an endpoint rule set is a JSON object".to_owned())),
        Err(error) => Err(not_json(format!("not JSON: {error}"))),
    }
}

/// Reads a `waiters-2.json` file and loads it for `service` ([`load_waiters`]).
pub fn load_waiters_file(
    path: &Path,
    service: &Service,
) -> Result<std::collections::BTreeMap<String, Waiter>, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(load_waiters(&path.display().to_string(), &text, service)?)
}
