//! Loads botocore service models (`service-2.json`, `paginators-1.json`) into a resolved, typed
//! intermediate representation.
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
pub use load::load_service;

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

/// Reads and loads a `service-2.json` file and, if given, its `paginators-1.json`.
pub fn load_service_files(service: &Path, paginators: Option<&Path>) -> Result<Service, LoadError> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.to_owned(),
            source,
        })
    };
    let service_text = read(service)?;
    let paginators_text = paginators.map(read).transpose()?;
    Ok(load_service(
        &service.display().to_string(),
        &service_text,
        paginators_text.as_deref(),
    )?)
}
