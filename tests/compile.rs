//! Generated crates must compile without a single warning: the `DescribeContact` subset of the
//! Connect model (`generate --operations DescribeContact`) and every fixture model, built
//! together in one scratch workspace so dependencies compile once.

use std::fs;
use std::path::Path;

const FIXTURES: &[&str] = &[
    "structures",
    "enums",
    "unions",
    "scalars",
    "collections",
    "sensitive",
    "recursion",
    "naming",
    "traits",
    "paginators",
    "clashes",
];

fn write_crate(workspace: &Path, name: &str, service: &models::Service, config: codegen::Config) {
    let generated = config
        .generate(service)
        .unwrap_or_else(|error| panic!("{name} does not generate: {error}"));
    generated
        .write(&workspace.join(name))
        .unwrap_or_else(|error| panic!("{name} cannot be written: {error}"));
}

#[test]
fn generated_crates_compile_without_warnings() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let workspace = scratch.path();
    let mut members = vec!["describe-contact".to_owned()];

    let connect = tests::connect_model();
    let config =
        tests::codegen_config("describe_contact").operations(vec!["DescribeContact".into()]);
    write_crate(workspace, "describe-contact", &connect, config);

    for fixture in FIXTURES {
        let service = tests::load_fixture(&format!("{fixture}.json"));
        let name = format!("fixture-{fixture}");
        write_crate(workspace, &name, &service, tests::codegen_config(&name));
        members.push(name);
    }

    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = {members:?}\n\n[profile.dev.package.\"*\"]\ndebug = false\n"
    );
    fs::write(workspace.join("Cargo.toml"), manifest).expect("workspace manifest");
    // The committed lock file pins the same dependency versions as the real crate.
    let root = tests::workspace_root();
    fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).expect("Cargo.lock");

    let output = tests::nested_cargo(workspace)
        .args([
            "build",
            "--offline",
            "--workspace",
            "--all-targets",
            "--all-features",
        ])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "generated crates do not compile cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let subset = fs::read_to_string(workspace.join("describe-contact/src/types/structures.rs"))
        .expect("subset structures");
    assert!(subset.contains("pub struct DescribeContactRequest"));
    assert!(subset.contains("pub struct Contact "));
    assert!(
        !subset.contains("pub struct CreateInstanceRequest"),
        "only reachable shapes"
    );
}
