//! Every `service-2.json` shipped in botocore 1.44.5 (472 models) must load (or be rejected with
//! an "unsupported: ..." error) and generate, without a panic. It downloads the botocore wheel
//! from PyPI on first use, so it runs on demand:
//!
//! ```text
//! cargo test --release -p tests --test botocore_models -- --ignored --nocapture
//! ```
//!
//! Set `BOTOCORE_DATA` to an extracted `botocore/data` folder to skip the download.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;

const BOTOCORE_VERSION: &str = "1.44.5";

/// Downloads and extracts the wheel's models into `target/`, once.
fn botocore_data() -> PathBuf {
    if let Ok(dir) = std::env::var("BOTOCORE_DATA") {
        return PathBuf::from(dir);
    }
    let cache = tests::workspace_root().join(format!("target/botocore-{BOTOCORE_VERSION}"));
    let data = cache.join("botocore/data");
    if data.is_dir() {
        return data;
    }
    let status = Command::new("python3")
        .args(["-m", "pip", "download", "--quiet", "--no-deps", "--dest"])
        .arg(&cache)
        .arg(format!("botocore=={BOTOCORE_VERSION}"))
        .status()
        .expect("python3 runs");
    assert!(
        status.success(),
        "pip download of botocore {BOTOCORE_VERSION} failed"
    );
    // Models ship gzipped inside the wheel; Python's standard library unpacks both.
    let script = r#"
import gzip, os, sys, zipfile
cache = sys.argv[1]
wheel = next(f for f in os.listdir(cache) if f.endswith(".whl"))
with zipfile.ZipFile(os.path.join(cache, wheel)) as archive:
    for name in archive.namelist():
        if name.startswith("botocore/data/") and name.endswith((".json", ".json.gz")):
            data = archive.read(name)
            if name.endswith(".gz"):
                data, name = gzip.decompress(data), name[:-3]
            path = os.path.join(cache, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as out:
                out.write(data)
"#;
    let status = Command::new("python3")
        .args(["-c", script])
        .arg(&cache)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "extracting the botocore wheel failed");
    data
}

fn service_models(data: &Path) -> Vec<PathBuf> {
    let mut models = Vec::new();
    for service in std::fs::read_dir(data)
        .expect("botocore/data is readable")
        .flatten()
    {
        for version in std::fs::read_dir(service.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let model = version.path().join("service-2.json");
            if model.is_file() {
                models.push(model);
            }
        }
    }
    models.sort();
    models
}

#[test]
#[ignore = "downloads the botocore wheel; run with --ignored"]
fn every_botocore_model_loads_and_generates() {
    let data = botocore_data();
    let models = service_models(&data);
    let (mut loaded, mut unsupported, mut broken, mut panicked) = (0, 0, Vec::new(), Vec::new());
    for path in &models {
        let paginators = path.with_file_name("paginators-1.json");
        let paginators = paginators.is_file().then_some(paginators);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let service = models::load_service_files(path, paginators.as_deref())?;
            codegen::Config::new("service")
                .generate(&service)
                .map_err(|error| format!("generation failed: {error}"))?;
            Ok::<(), Box<dyn std::error::Error>>(())
        }));
        match outcome {
            Ok(Ok(())) => loaded += 1,
            Ok(Err(error)) => match error.downcast_ref::<models::LoadError>() {
                Some(models::LoadError::Model(model)) if model.is_unsupported() => unsupported += 1,
                _ => broken.push(format!("{}: {error}", path.display())),
            },
            Err(_) => panicked.push(path.display().to_string()),
        }
    }
    println!(
        "{} models: {loaded} loaded and generated, {unsupported} rejected as unsupported, {} failed, {} panicked",
        models.len(),
        broken.len(),
        panicked.len()
    );
    assert_eq!(
        models.len(),
        472,
        "botocore {BOTOCORE_VERSION} ships 472 service models"
    );
    assert!(panicked.is_empty(), "panics: {panicked:#?}");
    assert!(
        broken.is_empty(),
        "errors other than unsupported: {broken:#?}"
    );
}
