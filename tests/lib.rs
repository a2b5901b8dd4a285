//! Shared helpers for the workspace tests.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `../shared` beside the workspace: benchmark inputs and conformance data.
pub fn shared_dir() -> PathBuf {
    workspace_root().join("../shared")
}

/// A fixture model under `tests/fixtures/`.
pub fn fixture_path(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures").join(name)
}

/// Loads a fixture model, panicking with the loader's message if it is rejected.
pub fn load_fixture(name: &str) -> models::Service {
    let path = fixture_path(name);
    models::load_service_files(&path, None)
        .unwrap_or_else(|error| panic!("fixture {name} does not load: {error}"))
}

/// The Connect model committed under `service-json/`.
pub fn connect_model() -> models::Service {
    let dir = workspace_root().join("service-json/connect/2017-08-08");
    models::load_service_files(
        &dir.join("service-2.json"),
        Some(&dir.join("paginators-1.json")),
    )
    .unwrap_or_else(|error| panic!("the Connect model does not load: {error}"))
}

/// The Connect model, loaded once per test binary (for property tests that run many cases).
pub fn connect_model_cached() -> &'static models::Service {
    static MODEL: std::sync::OnceLock<models::Service> = std::sync::OnceLock::new();
    MODEL.get_or_init(connect_model)
}
