//! Facts about the repository itself that a green build could hide.

use std::process::Command;

/// `major.minor` of a `rust-version` field, for comparison.
fn version(text: &str) -> (u32, u32) {
    let mut parts = text.split('.').map(|part| part.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// The workspace declares the toolchain its locked dependency tree needs, and the README says
/// the same: the highest `rust-version` of any locked package.
#[test]
fn rust_version_is_what_the_locked_tree_needs() {
    let root = tests::workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(&root)
        .args(["metadata", "--format-version", "1", "--locked"])
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    let (needed, by) = packages
        .iter()
        .filter(|package| package["source"].is_string())
        .filter_map(|package| {
            let declared = package["rust_version"].as_str()?;
            Some((version(declared), package["name"].as_str()?.to_owned()))
        })
        .max()
        .expect("some dependency declares a rust-version");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let declared = manifest
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = "))
        .map(|value| version(value.trim_matches('"')))
        .expect("the workspace declares rust-version");
    let needed_text = format!("{}.{}", needed.0, needed.1);
    assert_eq!(
        declared, needed,
        "the workspace's rust-version must be {needed_text}, what {by} needs"
    );
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    assert!(
        readme.contains(&format!("Rust {needed_text} or later")),
        "README.md must say `Rust {needed_text} or later`"
    );
}
