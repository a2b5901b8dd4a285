//! The `codegen` command line: freshness of the committed crate, `--check`, and failures that
//! must leave the output untouched.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen sits in the workspace")
        .to_path_buf()
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("codegen runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir`, with its bytes, for before/after comparisons.
fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push((path.clone(), fs::read(&path).expect("readable")));
            }
        }
    }
    files.sort();
    files
}

fn copy_generated(to: &Path) {
    let from = workspace_root().join("generated");
    for (path, bytes) in snapshot_tree(&from) {
        let target = to.join(path.strip_prefix(&from).expect("inside"));
        fs::create_dir_all(target.parent().expect("has a parent")).expect("mkdir");
        fs::write(target, bytes).expect("write");
    }
}

/// The committed `generated/` must be what the generator produces today.
#[test]
fn committed_crate_is_fresh() {
    let output = codegen(&["generate", "--check"]);
    assert!(
        output.status.success(),
        "generated/ is stale; run `cargo run -p codegen --release -- generate`:\n{}",
        stderr(&output)
    );
}

#[test]
fn check_names_every_stale_file_and_generate_repairs_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().to_str().expect("utf-8 path");
    let output = codegen(&["generate", "--out", out]);
    assert!(output.status.success(), "{}", stderr(&output));
    let check = ["generate", "--check", "--out", out];
    assert!(codegen(&check).status.success(), "a fresh crate passes");

    let enums = dir.path().join("src/types/enums.rs");
    let mut text = fs::read_to_string(&enums).expect("enums.rs");
    text.push_str("// a hand edit\n");
    fs::write(&enums, text).expect("edit");
    fs::remove_file(dir.path().join("src/client.rs")).expect("delete");
    fs::write(dir.path().join("src/types/extra.rs"), "// stray\n").expect("add");

    let output = codegen(&check);
    assert!(!output.status.success(), "stale files fail the check");
    let message = stderr(&output);
    for expected in [
        "changed: src/types/enums.rs",
        "missing: src/client.rs",
        "not generated: src/types/extra.rs",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
    let before = snapshot_tree(dir.path());
    assert_eq!(before, snapshot_tree(dir.path()), "--check writes nothing");

    let output = codegen(&["generate", "--out", out]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("2 written"), "{}", stderr(&output));
    assert!(codegen(&check).status.success(), "repaired");

    // A second run changes no byte and writes nothing.
    let after_first = snapshot_tree(dir.path());
    let output = codegen(&["generate", "--out", out]);
    assert!(stderr(&output).contains("0 written"), "{}", stderr(&output));
    assert_eq!(after_first, snapshot_tree(dir.path()));
}

#[test]
fn a_rejected_model_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("crate");
    let model = workspace_root().join("tests/fixtures/rejected.json");
    let output = codegen(&[
        "generate",
        "--model",
        model.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("14 problems in the model"), "{message}");
    assert!(message.contains("unknown shape `Nowhere`"), "{message}");
    assert!(!out.exists(), "no output tree for a rejected model");
}

/// A protocol the generator does not speak: refused, non-zero, naming it and the ones it
/// speaks, and an existing crate in the output folder is left exactly as it was.
#[test]
fn an_unspoken_protocol_is_refused_and_the_tree_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_generated(dir.path());
    let before = snapshot_tree(dir.path());
    let model = workspace_root().join("tests/fixtures/unspoken-protocol.json");
    let output = codegen(&[
        "generate",
        "--model",
        model.to_str().expect("utf-8"),
        "--out",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("protocol `smithy-rpc-v2-json` is not supported"),
        "{message}"
    );
    for spoken in [
        "json",
        "rest-json",
        "rest-xml",
        "smithy-rpc-v2-cbor",
        "query",
        "ec2",
    ] {
        assert!(
            message.contains(spoken),
            "{spoken} missing from:\n{message}"
        );
    }
    assert_eq!(before, snapshot_tree(dir.path()), "nothing was written");
}

/// `--standalone` for a model other than Connect, generated outside any workspace with the
/// runtime taken by path: the crate builds, and its doctests (the quick start) pass, without a
/// single warning, `missing_docs` included.
#[test]
fn a_standalone_crate_builds_and_its_doctests_pass_without_warnings() {
    let root = workspace_root();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("secretsmanager");
    let model = root.join("service-json/secretsmanager/2017-10-17/service-2.json");
    let runtime = root.join("runtime");
    let output = codegen(&[
        "generate",
        "--model",
        model.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--crate-name",
        "secretsmanager",
        "--standalone",
        "--runtime-path",
        runtime.to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    assert!(manifest.contains("\n[workspace]\n"), "{manifest}");
    let readme = fs::read_to_string(out.join("README.md")).expect("a README");
    for expected in [
        "secretsmanager",
        "codegen generate",
        "botocore",
        "Quick start",
    ] {
        assert!(
            readme.contains(expected),
            "{expected:?} not in README:\n{readme}"
        );
    }
    // The workspace's lock file pins the dependency versions, so the build needs no network.
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("Cargo.lock");

    for args in [
        &["build", "--offline", "--all-features"][..],
        &["test", "--offline", "--doc"][..],
    ] {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = Command::new(cargo)
            .args(args)
            .current_dir(&out)
            // The target directory and flags of the other builds the tests start.
            .env("CARGO_TARGET_DIR", root.join("target/nested"))
            .env("RUSTFLAGS", "-D warnings")
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        let log = stderr(&output);
        assert!(output.status.success(), "cargo {args:?} failed:\n{log}");
        assert!(!log.contains("warning"), "cargo {args:?} warned:\n{log}");
    }
}

#[test]
fn a_failed_write_leaves_the_tree_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_generated(dir.path());
    // Make one target unwritable: a file where the generator needs a directory.
    fs::remove_dir_all(dir.path().join("src/bin")).expect("remove");
    fs::write(dir.path().join("src/bin"), "not a directory").expect("block");
    let enums = dir.path().join("src/types/enums.rs");
    fs::write(&enums, "// stale\n").expect("stale");
    let before = snapshot_tree(dir.path());

    let output = codegen(&["generate", "--out", dir.path().to_str().expect("utf-8")]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("cannot write"),
        "{}",
        stderr(&output)
    );
    assert_eq!(before, snapshot_tree(dir.path()), "nothing was replaced");
}

#[test]
fn unknown_operations_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = codegen(&[
        "generate",
        "--operations",
        "DescribeContact,DescribeTeleporter",
        "--out",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("unknown operation: DescribeTeleporter"),
        "{}",
        stderr(&output)
    );
}
