//! `codegen`: generate a typed Rust crate from a botocore model, or check that one is fresh.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

/// Generate typed Rust crates from botocore service models.
#[derive(Debug, Parser)]
#[command(name = "codegen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate (or with --check, verify) a crate from a service model.
    Generate(GenerateArgs),
    /// Show what changed between two versions of a service model.
    Diff(DiffArgs),
    /// Diff a new model against the current one, replace it, regenerate and add a CHANGELOG entry.
    Update(UpdateArgs),
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// The botocore `service-2.json` [default: service-json/connect/2017-08-08/service-2.json]
    #[arg(long)]
    model: Option<PathBuf>,
    /// The `paginators-1.json` [default: the one beside the model, if any]
    #[arg(long)]
    paginators: Option<PathBuf>,
    /// The `waiters-2.json` [default: the one beside the model, if any]
    #[arg(long)]
    waiters: Option<PathBuf>,
    /// The `endpoint-rule-set-1.json`, which decides where requests go [default: the one beside
    /// the model, if any]
    #[arg(long)]
    endpoint_rules: Option<PathBuf>,
    /// The crate directory to write [default: generated/]
    #[arg(long)]
    out: Option<PathBuf>,
    /// The generated package's name.
    #[arg(long, default_value = "connect")]
    crate_name: String,
    /// Only these operations (comma-separated) and the shapes they reach.
    #[arg(long, value_delimiter = ',')]
    operations: Option<Vec<String>>,
    /// Write nothing; exit non-zero naming every file that differs from what would be generated.
    #[arg(long)]
    check: bool,
    /// Add an empty `[workspace]` to the manifest, so that the crate builds on its own even
    /// inside another workspace's folder.
    #[arg(long)]
    standalone: bool,
    /// Depend on `botocore-runtime` at this path (relative paths are taken from the crate's
    /// folder) [default: this workspace's `runtime/`]
    #[arg(long, conflicts_with = "runtime_version")]
    runtime_path: Option<PathBuf>,
    /// Depend on `botocore-runtime` of this version from a registry instead of a path.
    #[arg(long)]
    runtime_version: Option<String>,
    /// The release the model comes from, for the crate's README (`botocore 1.44.5`)
    /// [default: what `service-json/README.md` says for models under `service-json/`]
    #[arg(long)]
    model_version: Option<String>,
    /// Speak smithy-rpc-v2-cbor to services whose model lists it, as smithy-rs does, instead of
    /// botocore's first choice (awsJson for models that list both).
    #[arg(long)]
    prefer_cbor: bool,
    /// The crate version to write; `codegen update` sets it, otherwise the version already in
    /// `<out>/Cargo.toml` is kept.
    #[arg(skip)]
    crate_version: Option<String>,
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// The old `service-2.json` (with the `waiters-2.json` beside it, if any).
    old: PathBuf,
    /// The new `service-2.json` (with the `waiters-2.json` beside it, if any).
    new: PathBuf,
    /// The old `paginators-1.json` [default: the one beside OLD, if any]
    #[arg(long)]
    old_paginators: Option<PathBuf>,
    /// The new `paginators-1.json` [default: the one beside NEW, if any]
    #[arg(long)]
    new_paginators: Option<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// Output form.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Colour the text form: auto (a terminal, and NO_COLOR unset), always or never.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    /// Exit with status 1 when a change is at least this severe (note, warning, danger, error).
    #[arg(long, value_parser = parse_severity)]
    fail_on: Option<codegen::diff::Severity>,
    /// An ignore file: `RULE LOCATION-PATTERN` or a fingerprint per line.
    #[arg(long)]
    ignore: Option<PathBuf>,
    #[command(flatten)]
    page: PageArgs,
}

/// What the change page says besides what the models say.
#[derive(Debug, Args)]
struct PageArgs {
    /// The release date, YYYY-MM-DD, which starts the change page's title.
    #[arg(long)]
    date: Option<String>,
    /// The release note shown after `Changes` on the change page.
    #[arg(long, conflicts_with = "release_notes")]
    changes: Option<String>,
    /// A botocore changelog entry (`.changes/1.35.47.json`): the service's entries become the
    /// release note.
    #[arg(long)]
    release_notes: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Markdown,
    Json,
    /// The AWS API change page, as text.
    ChangePage,
    /// The AWS API change page, as a self-contained HTML page.
    ChangePageHtml,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

fn parse_severity(text: &str) -> Result<codegen::diff::Severity, String> {
    codegen::diff::Severity::parse(text)
        .ok_or_else(|| format!("`{text}` is not one of note, warning, danger, error"))
}

#[derive(Debug, Args)]
struct UpdateArgs {
    /// The new `service-2.json`.
    model: PathBuf,
    /// The new `paginators-1.json` [default: the one beside the new model, if any]
    #[arg(long)]
    paginators: Option<PathBuf>,
    /// The directory holding the current model [default: service-json/connect/2017-08-08]
    #[arg(long)]
    service_dir: Option<PathBuf>,
    /// The crate directory to regenerate [default: generated/]
    #[arg(long)]
    out: Option<PathBuf>,
    /// The CHANGELOG to add the entry to [default: <out>/CHANGELOG.md]
    #[arg(long)]
    changelog: Option<PathBuf>,
    /// The generated package's name.
    #[arg(long, default_value = "connect")]
    crate_name: String,
    #[command(flatten)]
    report: ReportArgs,
}

/// The workspace this binary was built from: the defaults are relative to it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => generate(args),
        Command::Diff(args) => diff(args),
        Command::Update(args) => update(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The crates this workspace commits: what `generate` (and `generate --check`) without a model
/// or an output folder regenerates (or checks), each from its model under `service-json/`.
struct Committed {
    crate_name: &'static str,
    /// `<service>/<api version>` under `service-json/`.
    model: &'static str,
    /// The crate's folder, from the workspace root.
    out: &'static str,
    operations: Option<&'static [&'static str]>,
    prefer_cbor: bool,
}

const COMMITTED: &[Committed] = &[
    Committed {
        crate_name: "connect",
        model: "connect/2017-08-08",
        out: "generated",
        operations: None,
        prefer_cbor: false,
    },
    Committed {
        crate_name: "dynamodb",
        model: "dynamodb/2012-08-10",
        out: "services/dynamodb",
        operations: None,
        prefer_cbor: false,
    },
    Committed {
        crate_name: "sqs",
        model: "sqs/2012-11-05",
        out: "services/sqs",
        operations: None,
        prefer_cbor: false,
    },
    Committed {
        crate_name: "secretsmanager",
        model: "secretsmanager/2017-10-17",
        out: "services/secretsmanager",
        operations: None,
        prefer_cbor: false,
    },
    Committed {
        crate_name: "cloudwatch",
        model: "cloudwatch/2010-08-01",
        out: "services/cloudwatch",
        operations: None,
        prefer_cbor: false,
    },
    // The same service over smithy-rpc-v2-cbor, for the benchmark of one against the other.
    Committed {
        crate_name: "cloudwatch-cbor",
        model: "cloudwatch/2010-08-01",
        out: "services/cloudwatch-cbor",
        operations: Some(&["GetMetricData", "ListMetrics", "PutMetricData"]),
        prefer_cbor: true,
    },
    Committed {
        crate_name: "cloudwatchomni",
        model: "cloudwatchomni/2025-01-01",
        out: "services/cloudwatchomni",
        operations: None,
        prefer_cbor: false,
    },
    Committed {
        crate_name: "iam",
        model: "iam/2010-05-08",
        out: "services/iam",
        operations: None,
        prefer_cbor: false,
    },
    Committed {
        crate_name: "sts",
        model: "sts/2011-06-15",
        out: "services/sts",
        operations: None,
        prefer_cbor: false,
    },
    // The operations the end-to-end tests call: the whole of EC2 (830 operations) is checked
    // by the on-demand sweep, not built on every run.
    Committed {
        crate_name: "s3",
        model: "s3/2006-03-01",
        out: "services/s3",
        operations: None,
        prefer_cbor: false,
    },
    Committed {
        crate_name: "ec2",
        model: "ec2/2016-11-15",
        out: "services/ec2",
        operations: Some(&[
            "CopySnapshot",
            "CreateVpc",
            "CreateSubnet",
            "CreateTags",
            "DeleteSubnet",
            "DeleteVpc",
            "DescribeSubnets",
            "DescribeTags",
            "DescribeVpcs",
            "GetConsoleOutput",
        ]),
        prefer_cbor: false,
    },
    // The calls botocore's Glacier handlers change, for the tests of those changes.
    Committed {
        crate_name: "glacier",
        model: "glacier/2012-06-01",
        out: "services/glacier",
        operations: Some(&[
            "CompleteMultipartUpload",
            "CreateVault",
            "DeleteArchive",
            "DescribeVault",
            "InitiateMultipartUpload",
            "ListVaults",
            "UploadArchive",
            "UploadMultipartPart",
        ]),
        prefer_cbor: false,
    },
    // A call botocore's RDS handlers change (the source-region URL of a copy), with the
    // client's database auth tokens.
    Committed {
        crate_name: "rds",
        model: "rds/2014-10-31",
        out: "services/rds",
        operations: Some(&["CopyDBSnapshot"]),
        prefer_cbor: false,
    },
    // An awsJson event stream (StartLiveTail) and the calls that give it events to read.
    Committed {
        crate_name: "logs",
        model: "logs/2014-03-28",
        out: "services/logs",
        operations: Some(&[
            "CreateLogGroup",
            "CreateLogStream",
            "DeleteLogGroup",
            "DescribeLogGroups",
            "PutLogEvents",
            "StartLiveTail",
        ]),
        prefer_cbor: false,
    },
    // Query with Signature Version 2 (`signatureVersion: v2`), whole: SimpleDB.
    Committed {
        crate_name: "sdb",
        model: "sdb/2009-04-15",
        out: "services/sdb",
        operations: None,
        prefer_cbor: false,
    },
];

fn generate(args: GenerateArgs) -> Result<ExitCode> {
    let defaults = args.model.is_none()
        && args.out.is_none()
        && args.operations.is_none()
        && args.crate_name == "connect";
    if !defaults {
        return generate_one(args, None);
    }
    let root = workspace_root();
    let mut code = ExitCode::SUCCESS;
    for committed in COMMITTED {
        let mut one = GenerateArgs {
            model: Some(
                root.join("service-json")
                    .join(committed.model)
                    .join("service-2.json"),
            ),
            out: Some(root.join(committed.out)),
            crate_name: committed.crate_name.to_owned(),
            operations: committed
                .operations
                .map(|operations| operations.iter().map(|o| (*o).to_owned()).collect()),
            prefer_cbor: committed.prefer_cbor || args.prefer_cbor,
            paginators: None,
            waiters: None,
            endpoint_rules: None,
            check: args.check,
            standalone: args.standalone,
            runtime_path: args.runtime_path.clone(),
            runtime_version: args.runtime_version.clone(),
            model_version: None,
            crate_version: None,
        };
        if committed.crate_name == "connect" {
            one.crate_version = args.crate_version.clone();
        }
        if generate_one(one, Some(codegen::DEFAULT_REGENERATE_COMMAND))? != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
    }
    Ok(code)
}

/// Generates (or checks) one crate; `command` is what its header tells readers to run.
fn generate_one(args: GenerateArgs, command: Option<&str>) -> Result<ExitCode> {
    let started = Instant::now();
    let root = workspace_root();
    let model = args
        .model
        .clone()
        .unwrap_or_else(|| root.join("service-json/connect/2017-08-08/service-2.json"));
    let paginators = args.paginators.clone().or_else(|| {
        let beside = model.with_file_name("paginators-1.json");
        beside.exists().then_some(beside)
    });
    let out = args.out.clone().unwrap_or_else(|| root.join("generated"));
    let service = load_model(
        &model,
        paginators.as_deref(),
        args.waiters.as_deref(),
        args.endpoint_rules.as_deref(),
    )?;

    let source_label = model
        .strip_prefix(&root)
        .unwrap_or(&model)
        .display()
        .to_string();
    let command = match command {
        Some(command) => command.to_owned(),
        None => regenerate_command(&args),
    };
    let mut config = codegen::Config::new(&args.crate_name)
        .source_label(source_label.clone())
        .regenerate_command(command)
        .standalone(args.standalone)
        .prefer_cbor(args.prefer_cbor)
        .runtime(runtime_dependency(&args, &root, &out));
    if let Some(version) = args
        .model_version
        .clone()
        .or_else(|| botocore_version(&root, &source_label))
    {
        config = config.model_version(version);
    }
    if let Some(version) = args.crate_version.clone().or_else(|| crate_version(&out)) {
        config = config.crate_version(version);
    }
    if let Some(operations) = args.operations {
        config = config.operations(operations);
    }
    let generated = config.generate(&service)?;
    if !generated.capability_notes.is_empty() {
        eprintln!("not supported yet:");
        for note in &generated.capability_notes {
            eprintln!("  {note}");
        }
    }
    if !generated.pattern_notes.is_empty() {
        eprintln!("patterns repaired or not enforced:");
        for note in &generated.pattern_notes {
            eprintln!("  {note}");
        }
    }

    if args.check {
        let stale = generated
            .check(&out)
            .with_context(|| format!("cannot read {}", out.display()))?;
        if stale.is_empty() {
            eprintln!(
                "{} is up to date ({} files)",
                out.display(),
                generated.files.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{} is stale:", out.display());
        for entry in &stale {
            eprintln!("  {entry}");
        }
        eprintln!("regenerate with: {}", codegen::DEFAULT_REGENERATE_COMMAND);
        return Ok(ExitCode::FAILURE);
    }
    let report = generated.write(&out)?;
    eprintln!(
        "generated {} in {:.0?}: {} written, {} unchanged, {} removed",
        out.display(),
        started.elapsed(),
        report.written.len(),
        report.unchanged,
        report.removed.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// `--runtime-version`, `--runtime-path`, or the path from the crate to this workspace's runtime
/// (relative when both are inside the workspace, so the committed crate builds in any clone).
fn runtime_dependency(args: &GenerateArgs, root: &Path, out: &Path) -> codegen::RuntimeDependency {
    if let Some(version) = &args.runtime_version {
        return codegen::RuntimeDependency::Version(version.clone());
    }
    let runtime = args
        .runtime_path
        .clone()
        .unwrap_or_else(|| root.join("runtime"));
    // Absolute, with `.` and `..` resolved by their text, so that counting the folders of
    // `out` below the root counts real ones (`target/../x` is one folder down, not three).
    let absolute = |path: &Path| {
        let joined = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        let mut normal = PathBuf::new();
        for component in joined.components() {
            match component {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    normal.pop();
                }
                other => normal.push(other),
            }
        }
        normal
    };
    if args
        .runtime_path
        .as_ref()
        .is_some_and(|path| path.is_relative())
    {
        return codegen::RuntimeDependency::Path(runtime.display().to_string());
    }
    let runtime = absolute(&runtime);
    let out = absolute(out);
    let path = match (runtime.strip_prefix(root), out.strip_prefix(root)) {
        (Ok(runtime), Ok(out)) => {
            let up = out.components().count();
            let mut relative = PathBuf::new();
            for _ in 0..up {
                relative.push("..");
            }
            relative.join(runtime)
        }
        _ => runtime,
    };
    codegen::RuntimeDependency::Path(path.display().to_string())
}

/// The botocore release `service-json/README.md` gives for a model under `service-json/`:
/// its table names each file and the wheel it came from.
fn botocore_version(root: &Path, source_label: &str) -> Option<String> {
    let relative = source_label.strip_prefix("service-json/")?;
    let readme = std::fs::read_to_string(root.join("service-json/README.md")).ok()?;
    let row = readme
        .lines()
        .find(|line| line.starts_with(&format!("| `{relative}`")))?;
    let version = row.split("botocore `").nth(1)?.split('`').next()?;
    Some(format!("botocore {version}"))
}

/// The command line that reproduces this run, for the `@generated` header.
fn regenerate_command(args: &GenerateArgs) -> String {
    let mut command = String::from("codegen generate");
    if let Some(model) = &args.model {
        command.push_str(&format!(" --model {}", model.display()));
    }
    if let Some(out) = &args.out {
        command.push_str(&format!(" --out {}", out.display()));
    }
    if args.crate_name != "connect" {
        command.push_str(&format!(" --crate-name {}", args.crate_name));
    }
    if let Some(operations) = &args.operations {
        command.push_str(&format!(" --operations {}", operations.join(",")));
    }
    if args.standalone {
        command.push_str(" --standalone");
    }
    if args.prefer_cbor {
        command.push_str(" --prefer-cbor");
    }
    if let Some(path) = &args.runtime_path {
        command.push_str(&format!(" --runtime-path {}", path.display()));
    }
    if let Some(version) = &args.runtime_version {
        command.push_str(&format!(" --runtime-version {version}"));
    }
    command
}

/// The version in `<out>/Cargo.toml`, so regenerating keeps a version `codegen update` bumped.
fn crate_version(out: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).ok()?;
    codegen::diff::update::crate_version(&manifest)
}

/// Loads a model with its paginators, its waiters (`waiters`, else the `waiters-2.json` beside
/// the model, if any) and its endpoint rules (`endpoint_rules`, else the
/// `endpoint-rule-set-1.json` beside the model, if any).
fn load_model(
    model: &Path,
    paginators: Option<&Path>,
    waiters: Option<&Path>,
    endpoint_rules: Option<&Path>,
) -> Result<models::Service, models::LoadError> {
    let mut service = models::load_service_files(model, paginators)?;
    let beside = model.with_file_name("waiters-2.json");
    let waiters = waiters.or(beside.exists().then_some(&*beside));
    if let Some(waiters) = waiters {
        service.waiters = models::load_waiters_file(waiters, &service)?;
    }
    let beside = model.with_file_name("endpoint-rule-set-1.json");
    let endpoint_rules = endpoint_rules.or(beside.exists().then_some(&*beside));
    if let Some(rules) = endpoint_rules {
        service.endpoint_rules = Some(models::load_endpoint_rules_file(rules)?);
    }
    Ok(service)
}

/// Exit status of `diff` and `update` when an input cannot be read or parsed (1 is `--fail-on`).
const BAD_INPUT: u8 = 2;

fn diff(args: DiffArgs) -> Result<ExitCode> {
    let beside = |model: &Path| {
        let path = model.with_file_name("paginators-1.json");
        path.exists().then_some(path)
    };
    let old_paginators = args.old_paginators.clone().or_else(|| beside(&args.old));
    let new_paginators = args.new_paginators.clone().or_else(|| beside(&args.new));
    let loaded = load_model(&args.old, old_paginators.as_deref(), None, None).and_then(|old| {
        Ok((
            old,
            load_model(&args.new, new_paginators.as_deref(), None, None)?,
        ))
    });
    let (old, new) = match loaded {
        Ok(models) => models,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::from(BAD_INPUT));
        }
    };
    let page = match change_page(&old, &new, &args.report.page) {
        Ok(page) => page,
        Err(code) => return Ok(code),
    };
    let report = codegen::diff::diff(&old, &new);
    report_and_verdict(report, page, &args.report)
}

/// The change page of two models with the options given; on bad options, the exit status.
fn change_page(
    old: &models::Service,
    new: &models::Service,
    args: &PageArgs,
) -> Result<codegen::diff::page::ChangePage, ExitCode> {
    let bad = |error: &dyn std::fmt::Display| {
        eprintln!("error: {error}");
        ExitCode::from(BAD_INPUT)
    };
    let mut options = codegen::diff::page::PageOptions::default();
    if let Some(date) = &args.date {
        options = options.date(date).map_err(|error| bad(&error))?;
    }
    if let Some(changes) = &args.changes {
        options = options.changes(changes.clone());
    }
    if let Some(path) = &args.release_notes {
        let text = std::fs::read_to_string(path)
            .map_err(|error| bad(&format!("cannot read {}: {error}", path.display())))?;
        match codegen::diff::page::release_note(&new.metadata, &text) {
            Ok(Some(note)) => options = options.changes(note),
            Ok(None) => eprintln!(
                "{} has no entry for {}",
                path.display(),
                new.metadata.service_id
            ),
            Err(error) => return Err(bad(&format!("{}: {error}", path.display()))),
        }
    }
    Ok(codegen::diff::page::ChangePage::new(old, new, &options))
}

/// Applies the ignore file to the report and the page, prints the form asked for, and turns
/// `--fail-on` into an exit status.
fn report_and_verdict(
    mut report: codegen::diff::Report,
    mut page: codegen::diff::page::ChangePage,
    args: &ReportArgs,
) -> Result<ExitCode> {
    if let Some(path) = &args.ignore {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        match codegen::diff::IgnoreList::parse(&text) {
            Ok(list) => {
                // The page's additions are silenced where the report's changes are.
                let silenced: std::collections::HashSet<String> = report
                    .changes
                    .iter()
                    .filter(|change| list.matches(change))
                    .map(|change| change.location.clone())
                    .collect();
                page.retain(&|location| !silenced.contains(location));
                let ignored = report.ignore(&list);
                if ignored > 0 {
                    let plural = if ignored == 1 { "" } else { "s" };
                    eprintln!("{ignored} change{plural} ignored by {}", path.display());
                }
            }
            Err(error) => {
                eprintln!("error: {}: {error}", path.display());
                return Ok(ExitCode::from(BAD_INPUT));
            }
        }
    }
    let render = &codegen::diff::render::text;
    let output = match args.format {
        DiffFormat::Text => {
            let color = match args.color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => {
                    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
                }
            };
            render(&report, color)
        }
        DiffFormat::Markdown => codegen::diff::render::markdown(&report),
        DiffFormat::ChangePage => codegen::diff::render::change_page(&page),
        DiffFormat::ChangePageHtml => codegen::diff::render::change_page_html(&page),
        DiffFormat::Json => {
            let json = codegen::diff::render::json(&report);
            format!("{}\n", serde_json::to_string_pretty(&json)?)
        }
    };
    write_stdout(&output)?;
    let failed = args.fail_on.is_some_and(|level| report.fails(level));
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes a report to stdout; a reader that went away (`codegen diff ... | head`) is not an error.
fn write_stdout(text: &str) -> Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(error).context("cannot write the report"))
        }
        _ => Ok(()),
    }
}

fn update(args: UpdateArgs) -> Result<ExitCode> {
    let root = workspace_root();
    let service_dir = args
        .service_dir
        .clone()
        .unwrap_or_else(|| root.join("service-json/connect/2017-08-08"));
    let current = service_dir.join("service-2.json");
    let current_paginators = service_dir.join("paginators-1.json");
    let new_paginators = args.paginators.clone().or_else(|| {
        let beside = args.model.with_file_name("paginators-1.json");
        (beside.exists() && beside != current_paginators).then_some(beside)
    });
    let loaded = load_model(
        &current,
        current_paginators.exists().then_some(&*current_paginators),
        None,
        None,
    )
    .and_then(|old| {
        let paginators = new_paginators
            .as_deref()
            .or(current_paginators.exists().then_some(&*current_paginators));
        // Without waiters beside the new model, the current ones stay (as the paginators do).
        let beside = args.model.with_file_name("waiters-2.json");
        let current_waiters = service_dir.join("waiters-2.json");
        let waiters = [beside, current_waiters]
            .into_iter()
            .find(|path| path.exists());
        Ok((
            old,
            load_model(&args.model, paginators, waiters.as_deref(), None)?,
        ))
    });
    let (old, new) = match loaded {
        Ok(models) => models,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::from(BAD_INPUT));
        }
    };
    let page = match change_page(&old, &new, &args.report.page) {
        Ok(page) => page,
        Err(code) => return Ok(code),
    };
    let report = codegen::diff::diff(&old, &new);
    report_and_verdict(report.clone(), page.clone(), &args.report)?;

    let out = args.out.clone().unwrap_or_else(|| root.join("generated"));
    let version = crate_version(&out).unwrap_or_else(|| "0.1.0".to_owned());
    let new_version = match report.semver() {
        Some(semver) => {
            codegen::diff::update::bump(&version, semver).map_err(anyhow::Error::msg)?
        }
        None => version.clone(),
    };
    let model_bytes = std::fs::read(&args.model)
        .with_context(|| format!("cannot read {}", args.model.display()))?;
    std::fs::write(&current, model_bytes)
        .with_context(|| format!("cannot write {}", current.display()))?;
    if let Some(paginators) = &new_paginators {
        std::fs::copy(paginators, &current_paginators)
            .with_context(|| format!("cannot write {}", current_paginators.display()))?;
    }
    // The waiters come along with the model they belong to.
    let current_waiters = service_dir.join("waiters-2.json");
    let new_waiters = args.model.with_file_name("waiters-2.json");
    if new_waiters.exists() && new_waiters != current_waiters {
        std::fs::copy(&new_waiters, &current_waiters)
            .with_context(|| format!("cannot write {}", current_waiters.display()))?;
    }
    // So do the endpoint rules.
    let current_rules = service_dir.join("endpoint-rule-set-1.json");
    let new_rules = args.model.with_file_name("endpoint-rule-set-1.json");
    if new_rules.exists() && new_rules != current_rules {
        std::fs::copy(&new_rules, &current_rules)
            .with_context(|| format!("cannot write {}", current_rules.display()))?;
    }
    let generate_args = GenerateArgs {
        model: args.service_dir.as_ref().map(|_| current.clone()),
        paginators: None,
        waiters: None,
        endpoint_rules: None,
        out: args.out.clone(),
        crate_name: args.crate_name.clone(),
        operations: None,
        check: false,
        standalone: false,
        runtime_path: None,
        runtime_version: None,
        model_version: None,
        prefer_cbor: false,
        crate_version: Some(new_version.clone()),
    };
    let default_command = (args.service_dir.is_none() && args.out.is_none())
        .then_some(codegen::DEFAULT_REGENERATE_COMMAND);
    let code = generate_one(generate_args, default_command)?;
    if code != ExitCode::SUCCESS {
        return Ok(code);
    }
    let Some(semver) = report.semver() else {
        eprintln!("no changes: {} stays at {version}", args.crate_name);
        return Ok(ExitCode::SUCCESS);
    };
    let changelog = args
        .changelog
        .clone()
        .unwrap_or_else(|| out.join("CHANGELOG.md"));
    let label = current
        .strip_prefix(&root)
        .unwrap_or(&current)
        .display()
        .to_string();
    let entry = codegen::diff::update::changelog_entry(
        &args.crate_name,
        &new_version,
        semver,
        &label,
        &report,
        &page,
    );
    let existing = std::fs::read_to_string(&changelog).ok();
    std::fs::write(
        &changelog,
        codegen::diff::update::add_entry(existing.as_deref(), &entry),
    )
    .with_context(|| format!("cannot write {}", changelog.display()))?;
    eprintln!(
        "{} {version} -> {new_version} ({semver}); CHANGELOG entry added to {}",
        args.crate_name,
        changelog.display()
    );
    Ok(ExitCode::SUCCESS)
}
