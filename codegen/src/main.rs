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
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// The botocore `service-2.json` [default: service-json/connect/2017-08-08/service-2.json]
    #[arg(long)]
    model: Option<PathBuf>,
    /// The `paginators-1.json` [default: the one beside the model, if any]
    #[arg(long)]
    paginators: Option<PathBuf>,
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
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: GenerateArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let root = workspace_root();
    let defaults = args.model.is_none() && args.out.is_none() && args.operations.is_none();
    let model = args
        .model
        .clone()
        .unwrap_or_else(|| root.join("service-json/connect/2017-08-08/service-2.json"));
    let paginators = args.paginators.clone().or_else(|| {
        let beside = model.with_file_name("paginators-1.json");
        beside.exists().then_some(beside)
    });
    let out = args.out.clone().unwrap_or_else(|| root.join("generated"));
    let service = models::load_service_files(&model, paginators.as_deref())?;

    let source_label = model
        .strip_prefix(&root)
        .unwrap_or(&model)
        .display()
        .to_string();
    let command = if defaults {
        codegen::DEFAULT_REGENERATE_COMMAND.to_owned()
    } else {
        regenerate_command(&args)
    };
    let mut config = codegen::Config::new(&args.crate_name)
        .source_label(source_label)
        .regenerate_command(command);
    if let Some(operations) = args.operations {
        config = config.operations(operations);
    }
    let generated = config.generate(&service)?;
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
    command
}
