//! `codegen diff` and `codegen update` from the command line: formats, `--fail-on` exit codes,
//! ignore files, colour, bad inputs, and an update that leaves a fresh tree and a CHANGELOG.
//!
//! Every update runs in a temporary directory; nothing here writes into the workspace.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen sits in the workspace")
        .to_path_buf()
}

fn fixtures() -> PathBuf {
    workspace_root().join("tests/fixtures/diff")
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .current_dir(workspace_root())
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("codegen runs")
}

/// `codegen diff` on a rule fixture, with extra arguments.
fn diff_fixture(rule: &str, extra: &[&str]) -> Output {
    let dir = fixtures().join(rule);
    let old = dir.join("old.json");
    let new = dir.join("new.json");
    let mut args = vec![
        "diff",
        old.to_str().expect("utf-8"),
        new.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(extra);
    codegen(&args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn fail_on_sets_the_exit_code() {
    // member-removed is an error; member-added a note; enum-value-added a warning at most.
    let removed = diff_fixture("member-removed", &["--fail-on", "error"]);
    assert_eq!(removed.status.code(), Some(1), "{}", stderr(&removed));
    let added = diff_fixture("member-added", &["--fail-on", "error"]);
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    let warned = diff_fixture("enum-value-added", &["--fail-on", "warning"]);
    assert_eq!(warned.status.code(), Some(1));
    let noted = diff_fixture("enum-value-added", &["--fail-on", "danger"]);
    assert_eq!(noted.status.code(), Some(0));
    // Without --fail-on a breaking diff still succeeds: it is a report.
    assert_eq!(diff_fixture("member-removed", &[]).status.code(), Some(0));
    let bad = diff_fixture("member-added", &["--fail-on", "fatal"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// The `waiters-2.json` beside each model is compared: one removed is a major bump.
#[test]
fn waiters_beside_the_models_are_compared() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let fixture = fixtures().join("waiter-removed");
    for side in ["old", "new"] {
        let folder = dir.path().join(side);
        fs::create_dir_all(&folder).expect("folder");
        fs::copy(
            fixture.join(format!("{side}.json")),
            folder.join("service-2.json"),
        )
        .expect("model");
    }
    fs::copy(
        fixture.join("old-waiters.json"),
        dir.path().join("old/waiters-2.json"),
    )
    .expect("waiters");
    let old = dir.path().join("old/service-2.json");
    let new = dir.path().join("new/service-2.json");
    let output = codegen(&[
        "diff",
        old.to_str().expect("utf-8"),
        new.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let text = report.to_string();
    assert!(text.contains("\"waiter-removed\""), "{text}");
    assert_eq!(report["summary"]["semver"], "major", "{text}");
}

#[test]
fn json_output_parses_and_counts() {
    let output = diff_fixture("operation-added", &["--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["summary"]["new"], serde_json::json!(["DeleteThing"]));
    assert_eq!(json["summary"]["counts"]["new"], 1);
    assert_eq!(json["changes"][0]["rule"], "operation-added");
}

#[test]
fn change_page_and_markdown_forms() {
    let page = stdout(&diff_fixture(
        "enum-value-added",
        &[
            "--format",
            "change-page",
            "--date",
            "2024-05-06",
            "--changes",
            "Things can be archived.",
        ],
    ));
    assert!(
        page.starts_with(
            "2024/05/06 - Fixture Things Service - 2 updated api methods\n\n\
             Changes  Things can be archived.\n\nGetThing (updated)\n"
        ),
        "{page}"
    );
    assert!(page.contains("Response\n{'Thing': {'Status': {'ARCHIVED'}}}\n"));
    assert!(page.contains("**Request Syntax**\n::\n\n  client.get_thing(\n"));
    let html = stdout(&diff_fixture(
        "enum-value-added",
        &["--format", "change-page-html"],
    ));
    assert!(html.starts_with("<!DOCTYPE html>\n"), "{html}");
    assert!(html.contains("<details id=\"ListThings\" open>"));
    let markdown = stdout(&diff_fixture("enum-value-added", &["--format", "markdown"]));
    assert!(markdown.contains("| warning | `enum-value-added` |"));
}

/// `--release-notes` takes the service's entries of a botocore changelog entry file.
#[test]
fn release_notes_from_a_botocore_changelog_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let notes = dir.path().join("1.2.3.json");
    fs::write(
        &notes,
        r#"[{"category": "``other``", "description": "Not ours.", "type": "api-change"},
            {"category": "``things``", "description": "Things can be archived.", "type": "api-change"}]"#,
    )
    .expect("write");
    let output = diff_fixture(
        "enum-value-added",
        &["--format", "change-page", "--release-notes", &arg(&notes)],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("\nChanges  Things can be archived.\n"));

    fs::write(&notes, "{\"category\": 1}").expect("write");
    let bad = diff_fixture(
        "enum-value-added",
        &["--format", "change-page", "--release-notes", &arg(&notes)],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("expected a list of changelog entries"),
        "{}",
        stderr(&bad)
    );
    let both = diff_fixture(
        "enum-value-added",
        &["--changes", "x", "--release-notes", &arg(&notes)],
    );
    assert_eq!(both.status.code(), Some(2));
    let bad_date = diff_fixture("enum-value-added", &["--date", "23/10/2024"]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(
        stderr(&bad_date).contains("YYYY-MM-DD"),
        "{}",
        stderr(&bad_date)
    );
}

/// What an ignore file silences leaves the change page too.
#[test]
fn ignore_file_silences_the_change_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ignore = dir.path().join("diff-ignore");
    fs::write(&ignore, "enum-value-added shapes.Status.enum.*\n").expect("write");
    let page = stdout(&diff_fixture(
        "enum-value-added",
        &["--format", "change-page", "--ignore", &arg(&ignore)],
    ));
    assert!(
        page.starts_with("Fixture Things Service - 1 updated api methods\n"),
        "{page}"
    );
    assert!(!page.contains("ARCHIVED'}"), "{page}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let piped = stdout(&diff_fixture("member-removed", &[]));
    assert!(!piped.contains('\u{1b}'), "piped output has no escapes");
    let forced = stdout(&diff_fixture("member-removed", &["--color", "always"]));
    assert!(forced.contains("\u{1b}["));
    let never = stdout(&diff_fixture("member-removed", &["--color", "never"]));
    assert!(!never.contains('\u{1b}'));
}

#[test]
fn ignore_file_silences_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ignore = dir.path().join("diff-ignore");
    fs::write(
        &ignore,
        "# accepted\nmember-removed shapes.Thing.members.*\n",
    )
    .expect("write");
    let output = diff_fixture(
        "member-removed",
        &[
            "--fail-on",
            "error",
            "--ignore",
            ignore.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("no changes"));
    assert!(stderr(&output).contains("1 change ignored"));

    fs::write(&ignore, "member-removed\n").expect("write");
    let output = diff_fixture(
        "member-removed",
        &["--ignore", ignore.to_str().expect("utf-8")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("line 1"), "{}", stderr(&output));
}

#[test]
fn bad_models_are_reported_not_panicked() {
    let base = fixtures().join("base.json");
    let base = base.to_str().expect("utf-8");
    let missing = codegen(&["diff", base, "no/such/service-2.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read no/such/service-2.json"));
    let invalid = workspace_root().join("tests/fixtures/rejected.json");
    let rejected = codegen(&["diff", base, invalid.to_str().expect("utf-8")]);
    assert_eq!(rejected.status.code(), Some(2));
    assert!(
        stderr(&rejected).contains("problem"),
        "{}",
        stderr(&rejected)
    );
    assert!(!stderr(&rejected).contains("panicked"));
}

/// A temporary workspace layout: `service/` holding the current model, `generated/` the crate
/// generated from it.
struct Tree {
    _dir: tempfile::TempDir,
    service: PathBuf,
    out: PathBuf,
}

impl Tree {
    fn new(current_model: &str) -> Tree {
        let dir = tempfile::tempdir().expect("tempdir");
        let service = dir.path().join("service");
        let out = dir.path().join("generated");
        fs::create_dir_all(&service).expect("mkdir");
        fs::write(service.join("service-2.json"), current_model).expect("write");
        let generated = codegen(&[
            "generate",
            "--model",
            &arg(&service.join("service-2.json")),
            "--out",
            &arg(&out),
        ]);
        assert!(generated.status.success(), "{}", stderr(&generated));
        Tree {
            _dir: dir,
            service,
            out,
        }
    }

    fn update(&self, new_model: &Path) -> Output {
        self.update_with(new_model, &[])
    }

    fn update_with(&self, new_model: &Path, extra: &[&str]) -> Output {
        let (model, service, out) = (arg(new_model), arg(&self.service), arg(&self.out));
        let mut args = vec![
            "update",
            &model,
            "--service-dir",
            &service,
            "--out",
            &out,
            "--color",
            "never",
        ];
        args.extend_from_slice(extra);
        codegen(&args)
    }

    fn check(&self) -> Output {
        codegen(&[
            "generate",
            "--check",
            "--model",
            &arg(&self.service.join("service-2.json")),
            "--out",
            &arg(&self.out),
        ])
    }

    fn version(&self) -> String {
        let manifest = fs::read_to_string(self.out.join("Cargo.toml")).expect("manifest");
        codegen::diff::update::crate_version(&manifest).expect("a version")
    }
}

fn arg(path: &Path) -> String {
    path.to_str().expect("utf-8").to_owned()
}

#[test]
fn update_with_a_breaking_model_bumps_and_stays_fresh() {
    let base = fs::read_to_string(fixtures().join("base.json")).expect("base");
    let tree = Tree::new(&base);
    assert_eq!(tree.version(), "0.1.0");
    let newer = fixtures().join("member-removed/new.json");
    let output = tree.update(&newer);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("member-removed"));
    assert_eq!(
        fs::read(tree.service.join("service-2.json")).expect("model"),
        fs::read(&newer).expect("new model"),
        "the model was replaced byte for byte"
    );
    assert_eq!(tree.version(), "0.2.0");
    let changelog = fs::read_to_string(tree.out.join("CHANGELOG.md")).expect("changelog");
    assert!(
        changelog.starts_with("# Changelog\n\n## connect 0.2.0\n"),
        "{changelog}"
    );
    assert!(changelog.contains("Implied bump: **major**"), "{changelog}");
    // The page shows additions only; what was removed is listed after it.
    assert!(
        changelog.contains("Removed or changed members:\n\n- `GetThing` response removed:"),
        "{changelog}"
    );
    let check = tree.check();
    assert!(check.status.success(), "{}", stderr(&check));

    // Back to the base model, then an additive change: a newer entry on top.
    fs::write(
        tree.service.join("service-2.json"),
        fs::read(fixtures().join("base.json")).expect("base"),
    )
    .expect("write");
    let output = tree.update(&fixtures().join("member-added/new.json"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(tree.version(), "0.2.1");
    let changelog = fs::read_to_string(tree.out.join("CHANGELOG.md")).expect("changelog");
    let newest = changelog.find("## connect 0.2.1").expect("new entry");
    let older = changelog.find("## connect 0.2.0").expect("old entry");
    assert!(newest < older);
    assert!(tree.check().status.success());
}

/// `update` brings the `waiters-2.json` beside the new model into the service folder, the diff
/// reports its waiter, and the regenerated crate has it and stays fresh.
#[test]
fn update_brings_the_waiters_beside_the_new_model() {
    let base = fs::read_to_string(fixtures().join("base.json")).expect("base");
    let tree = Tree::new(&base);
    let incoming = tempfile::tempdir().expect("temporary directory");
    let fixture = fixtures().join("waiter-added");
    let newer = incoming.path().join("service-2.json");
    fs::copy(fixture.join("new.json"), &newer).expect("model");
    fs::copy(
        fixture.join("new-waiters.json"),
        incoming.path().join("waiters-2.json"),
    )
    .expect("waiters");
    let output = tree.update(&newer);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("waiter-added"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        fs::read(tree.service.join("waiters-2.json")).expect("waiters copied"),
        fs::read(fixture.join("new-waiters.json")).expect("fixture"),
    );
    let waiters = fs::read_to_string(tree.out.join("src/waiters.rs")).expect("waiters.rs");
    assert!(
        waiters.contains("pub static THING_READY: Waiter"),
        "{waiters}"
    );
    let check = tree.check();
    assert!(check.status.success(), "{}", stderr(&check));
}

fn gunzip(path: &Path) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(fs::File::open(path).expect("vendored"))
        .read_to_string(&mut text)
        .expect("gzip");
    text
}

/// The Connect model of botocore 1.44.4 updated to 1.44.5: a minor bump, a fresh tree.
#[test]
fn update_connect_to_the_next_botocore_release() {
    let botocore = fixtures().join("botocore");
    let tree = Tree::new(&gunzip(&botocore.join("1.44.4/service-2.json.gz")));
    let scratch = tempfile::tempdir().expect("tempdir");
    let newer = scratch.path().join("service-2.json");
    fs::write(&newer, gunzip(&botocore.join("1.44.5/service-2.json.gz"))).expect("write");
    let output = tree.update_with(
        &newer,
        &[
            "--date",
            "2026-01-02",
            "--changes",
            "Evaluation form updates.",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("Amazon Connect Service - 0 new, 4 updated api methods"));
    assert_eq!(tree.version(), "0.1.1");
    let changelog = fs::read_to_string(tree.out.join("CHANGELOG.md")).expect("changelog");
    assert!(changelog.contains("## connect 0.1.1"));
    assert!(changelog.contains("Implied bump: **minor**"));
    // The change page's summary: its title, the release note, what each method gained.
    assert!(
        changelog.contains(
            "**2026/01/02 - Amazon Connect Service - 4 updated api methods**\n\n\
             Changes: Evaluation form updates.\n\n- `CreateEvaluationForm` (updated: request)\n"
        ),
        "{changelog}"
    );
    assert!(
        changelog.contains("- `DescribeContactEvaluation` (updated: response)\n\n  ```python\n")
    );
    let check = tree.check();
    assert!(check.status.success(), "{}", stderr(&check));
}
