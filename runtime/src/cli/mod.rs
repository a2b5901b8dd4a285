//! The command line (feature `cli`): the AWS CLI's interface to one service, natively.
//!
//! The generated `cli.rs` describes the model as static tables ([`Tool`]); this module turns
//! them into `clap` commands, reads options the way the AWS CLI does (JSON, shorthand,
//! `file://`, `--cli-input-json`), checks them with the generated validators, calls the service
//! through the `dynamic` layer, paginates, and prints the result as `--output` and `--query`
//! ask. Exit codes: 0 success, 252 bad arguments or parameters (caught before anything is sent),
//! 2 a missing `outfile` (argparse's own error there), 255 a service error or anything else, as
//! the AWS CLI v1 exits for each.

use std::ffi::OsString;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches};
use serde_json::{Map, Value};

mod input;
mod output;

use crate::client::{ServiceClient, ServiceInfo};
use crate::config::Config;
use crate::dynamic::{Operations, ServiceErrorValue};
use crate::error::Error;
use crate::http::{BoxFuture, HttpRequest, HttpResponse, Timeouts, Transport, TransportError};
use crate::params::ResultStyle;
use crate::waiter::{Observation, WaitConfig, WaitFailure, Waiter};
use output::OutputFormat;

/// A service's command line: its commands and the shapes their options use.
#[allow(missing_debug_implementations)] // Static tables, thousands of entries.
pub struct Tool {
    /// The binary's name, as usage lines show it.
    pub binary: &'static str,
    /// One line about the service, for the top-level help.
    pub about: &'static str,
    /// The service the commands call.
    pub service: &'static ServiceInfo,
    /// The operations the commands call, by name.
    pub operations: Operations,
    /// One command per operation.
    pub commands: &'static [Command],
    /// One `wait` subcommand per waiter.
    pub waiters: &'static [WaitCommand],
    /// Indexed by the `shape` fields below.
    pub shapes: &'static [Shape],
}

/// One operation as a subcommand.
#[derive(Debug)]
pub struct Command {
    /// Kebab-case, as the AWS CLI names it (`describe-contact`).
    pub name: &'static str,
    /// The model's operation name (`DescribeContact`).
    pub operation: &'static str,
    /// The first sentence of the operation's docs, for the command list.
    pub about: &'static str,
    /// The operation's docs, for `--help`.
    pub docs: &'static str,
    /// The input shape (an index into [`Tool::shapes`]), if the operation has one.
    pub input: Option<usize>,
    /// The output shape, if the operation has one.
    pub output: Option<usize>,
    /// How the command fetches every page, for a paginated operation.
    pub paginator: Option<Paginator>,
    /// The output member that is the body, a blob (S3's `Body`, Lambda's `Payload`): as the
    /// AWS CLI does, the command takes a required `outfile` argument, writes the body there and
    /// prints the rest.
    pub outfile: Option<&'static str>,
    /// The input member that is a streaming blob (S3's `Body`): as the AWS CLI does, its option
    /// takes the path of a file, whose bytes are sent.
    pub streaming_input: Option<&'static str>,
}

/// A waiter as a subcommand of `wait` (`dynamodb wait table-exists`): the AWS CLI's
/// `WaiterStateCommand`, which takes its operation's options, prints nothing when the wait
/// succeeds and exits 255 with botocore's `WaiterError` when it fails.
#[derive(Debug)]
pub struct WaitCommand {
    /// Kebab-case, as the AWS CLI names it (`table-exists`).
    pub name: &'static str,
    /// The waiter.
    pub waiter: &'static Waiter,
    /// The command of the operation polled (an index into [`Tool::commands`]).
    pub command: usize,
    /// What it waits for, as the AWS CLI describes it.
    pub about: &'static str,
}

/// What the `wait` command says of itself, in the AWS CLI's words.
const WAIT_ABOUT: &str = "Wait until a particular condition is satisfied. Each subcommand polls \
                          an API until the listed requirement is met.";

/// An entry of `paginators-1.json`, as the AWS CLI follows it: member names and expressions
/// of the botocore form.
#[derive(Debug)]
pub struct Paginator {
    /// Input members that receive the tokens.
    pub input_token: &'static [&'static str],
    /// Output paths (or expressions) that hold the next tokens.
    pub output_token: &'static [&'static str],
    /// Output paths whose values are aggregated across pages.
    pub result_key: &'static [&'static str],
    /// The input member that limits the page size (`--page-size`).
    pub limit_key: Option<&'static str>,
    /// The output path whose `false` ends pagination.
    pub more_results: Option<&'static str>,
    /// Output paths kept from the pages but not aggregated.
    pub non_aggregate_keys: &'static [&'static str],
}

/// A shape of the model, as options and skeletons need it.
#[derive(Debug)]
pub struct Shape {
    /// The model's name of the shape.
    pub name: &'static str,
    /// What the shape is.
    pub kind: Kind,
}

/// The kinds of shapes.
#[derive(Debug)]
pub enum Kind {
    /// A structure or a union.
    Structure {
        /// Exactly one member is set.
        union: bool,
        /// The members, in model order.
        members: &'static [Member],
    },
    /// An untyped JSON document.
    Document,
    /// A string, an enum when `enum_values` is not empty.
    String {
        /// The values the model lists.
        enum_values: &'static [&'static str],
    },
    /// A 32-bit integer.
    Integer,
    /// A 64-bit integer.
    Long,
    /// A 32-bit float.
    Float,
    /// A 64-bit float.
    Double,
    /// A boolean.
    Boolean,
    /// A timestamp.
    Timestamp,
    /// Bytes.
    Blob,
    /// A list.
    List {
        /// The item shape.
        item: usize,
    },
    /// A map.
    Map {
        /// The key shape.
        key: usize,
        /// The value shape.
        value: usize,
    },
}

impl Kind {
    /// The type name the AWS CLI's help shows.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Structure { .. } | Kind::Document => "structure",
            Kind::String { .. } => "string",
            Kind::Integer => "integer",
            Kind::Long => "long",
            Kind::Float => "float",
            Kind::Double => "double",
            Kind::Boolean => "boolean",
            Kind::Timestamp => "timestamp",
            Kind::Blob => "blob",
            Kind::List { .. } => "list",
            Kind::Map { .. } => "map",
        }
    }
}

/// A member of a structure.
#[derive(Debug)]
pub struct Member {
    /// The model's name of the member.
    pub name: &'static str,
    /// The option, without `--`; empty for members of shapes that are not operation inputs.
    pub option: &'static str,
    /// The member's shape.
    pub shape: usize,
    /// The model marks the member required.
    pub required: bool,
    /// The option's help text.
    pub help: &'static str,
}

/// How a run ends when it does not succeed, with the AWS CLI's exit code for each.
#[derive(Debug)]
pub enum Failure {
    /// Bad arguments or parameters: 252.
    Usage(String),
    /// Arguments the AWS CLI leaves to argparse, which fails them with 2 (a missing
    /// `outfile`).
    Parser(String),
    /// The service answered with an error: 255, the AWS CLI v1's code (v2 uses 254), so
    /// scripts written against `aws` see the code they check for.
    Service(String),
    /// Anything else (credentials, connection, an undecodable response): 255.
    Other(String),
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 252,
            Failure::Parser(_) => 2,
            Failure::Service(_) | Failure::Other(_) => 255,
        }
    }

    fn message(&self) -> &str {
        match self {
            Failure::Usage(message)
            | Failure::Parser(message)
            | Failure::Service(message)
            | Failure::Other(message) => message,
        }
    }
}

/// The global options, as the AWS CLI has them.
struct Globals {
    endpoint_url: Option<String>,
    region: Option<String>,
    profile: Option<String>,
    output: OutputFormat,
    query: Option<String>,
    no_paginate: bool,
    debug: bool,
    read_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    no_sign_request: bool,
    color: bool,
}

/// Runs the command line on the process's arguments.
pub fn main(tool: &'static Tool) -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let mut stdout = std::io::stdout().lock();
    match run(tool, args, &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let _ = stdout.flush();
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "{}", failure.message());
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Parses `args` (the binary's name first), runs the command and writes its output to `out`.
pub fn run(
    tool: &'static Tool,
    args: Vec<OsString>,
    out: &mut dyn std::io::Write,
) -> Result<(), Failure> {
    let args: Vec<String> = args
        .into_iter()
        .map(|arg| {
            arg.into_string().map_err(|arg| {
                Failure::Usage(format!(
                    "{}: argument {arg:?} is not valid UTF-8",
                    tool.binary
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let matches = match clap_command(tool, &args).try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(error) => {
            use clap::error::ErrorKind;
            return match error.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    write!(out, "{}", error.render())
                        .map_err(|error| Failure::Other(error.to_string()))?;
                    if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                        Err(Failure::Usage(String::new()))
                    } else {
                        Ok(())
                    }
                }
                // A missing `outfile` is argparse's own error in the AWS CLI, which exits 2.
                ErrorKind::MissingRequiredArgument
                    if error
                        .get(clap::error::ContextKind::InvalidArg)
                        .is_some_and(|arg| arg.to_string().contains("<outfile>")) =>
                {
                    Err(Failure::Parser(
                        error.render().to_string().trim_end().to_owned(),
                    ))
                }
                _ => Err(Failure::Usage(
                    error.render().to_string().trim_end().to_owned(),
                )),
            };
        }
    };
    let (name, sub) = matches
        .subcommand()
        .ok_or_else(|| Failure::Usage(format!("{}: a command is required", tool.binary)))?;
    if name == "wait" && !tool.waiters.is_empty() {
        return wait(tool, sub);
    }
    let command = tool
        .commands
        .iter()
        .find(|command| command.name == name)
        .ok_or_else(|| Failure::Usage(format!("{}: unknown command {name}", tool.binary)))?;
    let globals = globals(sub)?;
    let usage =
        |message: String| Failure::Usage(format!("{} {}: {message}", tool.binary, command.name));

    if let Some(skeleton) = sub.get_one::<String>("generate-cli-skeleton")
        && skeleton != "output"
    {
        let value = match command.input {
            Some(input) => input::skeleton(tool, input, false),
            None => Value::Object(Map::new()),
        };
        let text = if skeleton == "yaml-input" {
            output::yaml(&value).map_err(Failure::Other)?
        } else {
            output::json_indent4(&value)
        };
        return writeln!(out, "{}", text.trim_end())
            .map_err(|error| Failure::Other(error.to_string()));
    }

    let mut params = checked_params(tool, command, sub, &usage)?;
    let body = match command.streaming_input {
        Some(member) => streaming_body(tool, command, &mut params, member)?,
        None => None,
    };
    if globals.debug {
        eprintln!(
            "debug: {} {} with parameters {}",
            tool.binary,
            command.name,
            serde_json::to_string(&params).unwrap_or_default()
        );
    }

    let result = if sub.get_one::<String>("generate-cli-skeleton").is_some() {
        // `output`: the inputs are checked above; nothing is sent.
        match command.output {
            Some(output) => input::skeleton(tool, output, true),
            None => Value::Object(Map::new()),
        }
    } else {
        let client = client(tool, &globals)?;
        let runtime = async_runtime()?;
        let paging = match (&command.paginator, globals.no_paginate) {
            (Some(paginator), false) => Some((paginator, paging_options(sub, &usage)?)),
            _ => None,
        };
        runtime.block_on(async {
            match paging {
                Some((paginator, options)) => {
                    paginate(tool, &client, command, paginator, params, options).await
                }
                None => {
                    let outfile = command
                        .outfile
                        .and_then(|_| sub.get_one::<String>("outfile"))
                        .map(String::as_str);
                    call(tool, &client, command, &params, body, outfile).await
                }
            }
        })?
    };
    output::print(
        out,
        &result,
        globals.output,
        globals.query.as_deref(),
        command.operation,
        globals.color,
    )
    .map_err(|error| match error {
        output::OutputError::Query(message) => Failure::Usage(message),
        output::OutputError::Io(message) => Failure::Other(message),
    })
}

/// The `clap` command. When `args` name an operation, only that subcommand is built, with its
/// options; otherwise (top-level help, a misspelt command) every operation is listed, without
/// options. Building all 400 with their options would cost every start milliseconds.
fn clap_command(tool: &'static Tool, args: &[String]) -> clap::Command {
    let root = clap::Command::new(tool.binary)
        .about(tool.about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .disable_version_flag(true)
        .max_term_width(100)
        .args(global_args());
    // The first argument that names an operation (or `wait`) is the subcommand: option values
    // come after their operation, so a value that happens to equal another name never wins.
    let named = args.iter().enumerate().skip(1).find_map(|(at, arg)| {
        if arg == "wait" && !tool.waiters.is_empty() {
            return Some(Err(at));
        }
        tool.commands
            .iter()
            .find(|command| command.name == arg.as_str())
            .map(Ok)
    });
    match named {
        Some(Ok(command)) => root.subcommand(
            clap::Command::new(command.name)
                .about(command.about)
                .long_about(format!("{}\n\n{}", command.operation, command.docs))
                .args(operation_args(tool, command)),
        ),
        Some(Err(at)) => root.subcommand(wait_command(tool, &args[at + 1..])),
        None => root
            .subcommands(
                tool.commands
                    .iter()
                    .map(|command| clap::Command::new(command.name).about(command.about)),
            )
            .subcommands(
                (!tool.waiters.is_empty()).then(|| clap::Command::new("wait").about(WAIT_ABOUT)),
            ),
    }
}

/// The command's parameters as its options give them, checked as the AWS CLI checks them
/// before anything is sent: missing required options, then the generated validators.
fn checked_params(
    tool: &Tool,
    command: &Command,
    matches: &ArgMatches,
    usage: &dyn Fn(String) -> Failure,
) -> Result<Value, Failure> {
    let params = input::params(tool, command, matches).map_err(|error| match error {
        input::InputError::Usage(message) => usage(message),
        input::InputError::File { option, message } => parameter_error(&option, message),
    })?;
    if let Some(input) = command.input {
        let missing = input::missing_required(tool, input, &params);
        if !missing.is_empty() {
            return Err(usage(format!(
                "the following arguments are required: {}",
                missing.join(", ")
            )));
        }
    }
    input::check(tool, command, &params).map_err(usage)?;
    Ok(params)
}

/// The single-threaded runtime a run's calls are made on.
fn async_runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::Other(format!("cannot start the async runtime: {error}")))
}

/// `wait` with its subcommands: the one `args` name with its options, or every waiter without
/// options (for help and suggestions).
fn wait_command(tool: &'static Tool, args: &[String]) -> clap::Command {
    let wait = clap::Command::new("wait")
        .about(WAIT_ABOUT)
        .subcommand_required(true)
        .arg_required_else_help(true);
    let named = args.iter().find_map(|arg| {
        tool.waiters
            .iter()
            .find(|waiter| waiter.name == arg.as_str())
    });
    match named {
        Some(waiter) => {
            let command = &tool.commands[waiter.command];
            wait.subcommand(
                clap::Command::new(waiter.name)
                    .about(waiter.about)
                    .args(input_args(tool, command)),
            )
        }
        None => wait.subcommands(
            tool.waiters
                .iter()
                .map(|waiter| clap::Command::new(waiter.name).about(waiter.about)),
        ),
    }
}

/// `wait <waiter>`: reads the operation's options as its command does, then polls it until
/// the waiter's acceptors end the wait, as the AWS CLI's `WaiterCaller` does (the model's delay
/// and attempts). Prints nothing on success.
fn wait(tool: &'static Tool, matches: &ArgMatches) -> Result<(), Failure> {
    let (name, sub) = matches
        .subcommand()
        .ok_or_else(|| Failure::Usage(format!("{} wait: a waiter is required", tool.binary)))?;
    let waiter = tool
        .waiters
        .iter()
        .find(|waiter| waiter.name == name)
        .ok_or_else(|| Failure::Usage(format!("{} wait: unknown waiter {name}", tool.binary)))?;
    let command = &tool.commands[waiter.command];
    let usage =
        |message: String| Failure::Usage(format!("{} wait {}: {message}", tool.binary, name));
    let globals = globals(sub)?;
    let params = checked_params(tool, command, sub, &usage)?;
    let client = client(tool, &globals)?;
    let runtime = async_runtime()?;
    let spec = waiter.waiter;
    let waited = runtime.block_on(crate::waiter::wait_with(
        spec,
        WaitConfig::new(),
        || {
            tool.operations
                .call(&client, command.operation, &params, ResultStyle::Botocore)
        },
        |outcome| match outcome {
            Ok(value) => Some(Observation::Result {
                status: spec.success_status,
                value: value.clone(),
            }),
            Err(error) => Observation::of_error(error),
        },
    ));
    match waited {
        Ok(_) => Ok(()),
        Err(failed) => {
            let message = format!("\n{failed}");
            match (failed.reason, failed.last) {
                (WaitFailure::NoResponse, Err(error)) => Err(failure(command, error)),
                _ => Err(Failure::Other(message)),
            }
        }
    }
}

fn global_args() -> Vec<Arg> {
    let value = |name: &'static str, help: &'static str| {
        Arg::new(name)
            .long(name)
            .global(true)
            .action(ArgAction::Set)
            .allow_hyphen_values(true)
            .help(help)
            .help_heading("Global options")
    };
    let flag = |name: &'static str, help: &'static str| {
        Arg::new(name)
            .long(name)
            .global(true)
            .action(ArgAction::SetTrue)
            .help(help)
            .help_heading("Global options")
    };
    vec![
        value(
            "endpoint-url",
            "Use this URL instead of the region's endpoint.",
        ),
        value(
            "region",
            "The region to use (else AWS_REGION, AWS_DEFAULT_REGION or the profile's).",
        ),
        value(
            "profile",
            "Use this profile of the shared config and credentials files.",
        ),
        value("output", "The output format.").value_parser([
            "json",
            "text",
            "table",
            "yaml",
            "yaml-stream",
        ]),
        value("query", "A JMESPath query to apply to the result."),
        flag(
            "no-paginate",
            "Make one call, not one per page, for paginated operations.",
        ),
        flag(
            "debug",
            "Log the request and the response to standard error.",
        ),
        value(
            "cli-read-timeout",
            "Seconds to wait for a read (0: no limit; default 60).",
        ),
        value(
            "cli-connect-timeout",
            "Seconds to wait for a connection (0: no limit; default 60).",
        ),
        flag(
            "no-sign-request",
            "Do not sign requests; credentials are not loaded.",
        ),
        value("color", "Colour output: on, off or auto.").value_parser(["on", "off", "auto"]),
    ]
}

/// One option per input member, `--cli-input-json`/`--cli-input-yaml`, the skeleton option and,
/// for paginated operations, the pagination options.
fn operation_args(tool: &'static Tool, command: &'static Command) -> Vec<Arg> {
    let mut args = input_args(tool, command);
    if command.outfile.is_some() {
        args.push(
            Arg::new("outfile")
                .value_name("outfile")
                .required_unless_present("generate-cli-skeleton")
                .help("Filename where the content will be saved"),
        );
    }
    args.push(
        Arg::new("generate-cli-skeleton")
            .long("generate-cli-skeleton")
            .num_args(0..=1)
            .require_equals(false)
            .default_missing_value("input")
            .value_parser(["input", "yaml-input", "output"])
            .help("Print a sample input (JSON or YAML) or output without sending a request.")
            .help_heading("Input"),
    );
    if command.paginator.is_some() {
        for (name, help) in [
            (
                "starting-token",
                "Resume from a NextToken printed by an earlier truncated run.",
            ),
            (
                "page-size",
                "Items per call (the service's page size); all pages are still fetched.",
            ),
            (
                "max-items",
                "Print at most this many items, with a NextToken to resume from.",
            ),
        ] {
            args.push(
                Arg::new(name)
                    .long(name)
                    .value_name(if name == "starting-token" {
                        "string"
                    } else {
                        "integer"
                    })
                    .help(help)
                    .help_heading("Pagination"),
            );
        }
    }
    args
}

/// One option per input member, and `--cli-input-json`/`--cli-input-yaml`: what an operation's
/// command and a waiter polling it both take.
fn input_args(tool: &'static Tool, command: &'static Command) -> Vec<Arg> {
    let mut args = Vec::new();
    if let Some(input) = command.input
        && let Kind::Structure { members, .. } = &tool.shapes[input].kind
    {
        for member in *members {
            args.extend(member_args(tool, member));
        }
    }
    args.push(
        Arg::new("cli-input-json")
            .long("cli-input-json")
            .value_name("string")
            .help("Read the parameters from this JSON (or file://path); options given override it.")
            .help_heading("Input"),
    );
    args.push(
        Arg::new("cli-input-yaml")
            .long("cli-input-yaml")
            .value_name("string")
            .conflicts_with("cli-input-json")
            .help("Read the parameters from this YAML (or file://path); options given override it.")
            .help_heading("Input"),
    );
    args
}

fn member_args(tool: &'static Tool, member: &'static Member) -> Vec<Arg> {
    let kind = &tool.shapes[member.shape].kind;
    let type_name = kind.type_name();
    let required = if member.required { " [required]" } else { "" };
    let first_line = member
        .help
        .lines()
        .find(|line| {
            !line.starts_with("Constraints:")
                && !line.starts_with("Possible values:")
                && !line.is_empty()
        })
        .unwrap_or("");
    let short_help = format!("({type_name}){required} {first_line}");
    let mut long_help = format!("({type_name}){required}\n\n{}", member.help);
    if matches!(
        kind,
        Kind::Structure { .. } | Kind::List { .. } | Kind::Map { .. }
    ) {
        let skeleton = input::skeleton(tool, member.shape, false);
        long_help.push_str("\n\nJSON syntax:\n");
        long_help.push_str(&output::json_indent4(&skeleton));
    }
    if let Kind::Boolean = kind {
        let negative = format!("no-{}", member.option);
        return vec![
            Arg::new(member.name)
                .long(member.option)
                .action(ArgAction::SetTrue)
                .overrides_with(negative.clone())
                .help(short_help)
                .long_help(long_help),
            Arg::new(negative.clone())
                .long(negative)
                .action(ArgAction::SetTrue)
                .overrides_with(member.name)
                .hide(true),
        ];
    }
    let arg = Arg::new(member.name)
        .long(member.option)
        .value_name(type_name)
        .help(short_help)
        .long_help(long_help);
    let arg = match kind {
        // `--ids a b c`, or one JSON list; shorthand structures, one per value.
        Kind::List { .. } => arg.num_args(1..).action(ArgAction::Append),
        _ => arg.action(ArgAction::Set).allow_hyphen_values(true),
    };
    vec![arg]
}

fn globals(matches: &ArgMatches) -> Result<Globals, Failure> {
    let text = |name: &str| matches.get_one::<String>(name).cloned();
    let seconds = |name: &str| -> Result<Option<Duration>, Failure> {
        match text(name) {
            None => Ok(None),
            Some(value) => match value.parse::<f64>() {
                Ok(0.0) => Ok(Some(Duration::from_secs(60 * 60 * 24 * 365))),
                Ok(seconds) if seconds.is_finite() && seconds > 0.0 => {
                    Ok(Some(Duration::from_secs_f64(seconds)))
                }
                _ => Err(Failure::Usage(format!(
                    "--{name}: expected a number of seconds, got {value:?}"
                ))),
            },
        }
    };
    let output = match text("output") {
        Some(output) => output,
        None => std::env::var("AWS_DEFAULT_OUTPUT").unwrap_or_else(|_| "json".to_owned()),
    };
    let output = OutputFormat::parse(&output)
        .ok_or_else(|| Failure::Usage(format!("--output: unknown format {output:?}")))?;
    let color = match text("color").as_deref() {
        Some("on") => true,
        Some("off") => false,
        _ => {
            std::io::IsTerminal::is_terminal(&std::io::stdout())
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    Ok(Globals {
        endpoint_url: text("endpoint-url"),
        region: text("region"),
        profile: text("profile"),
        output,
        query: text("query"),
        no_paginate: matches.get_flag("no-paginate"),
        debug: matches.get_flag("debug"),
        read_timeout: seconds("cli-read-timeout")?,
        connect_timeout: seconds("cli-connect-timeout")?,
        no_sign_request: matches.get_flag("no-sign-request"),
        color,
    })
}

fn client(tool: &Tool, globals: &Globals) -> Result<ServiceClient, Failure> {
    let config = match &globals.profile {
        Some(profile) => Config::from_profile(profile),
        None => Config::from_env(),
    }
    .map_err(|error| Failure::Other(error.to_string()))?;
    let mut config = config.sign_requests(!globals.no_sign_request);
    if let Some(region) = &globals.region {
        config = config.region(region.clone());
    }
    if let Some(url) = &globals.endpoint_url {
        config = config.endpoint_url(url.clone());
    }
    let defaults = Timeouts::default();
    let timeouts = Timeouts {
        connect: globals.connect_timeout.unwrap_or(defaults.connect),
        read: globals.read_timeout.unwrap_or(defaults.read),
    };
    config = config.timeouts(timeouts);
    if globals.debug {
        let inner = crate::http::ReqwestTransport::new(timeouts)
            .map_err(|error| Failure::Other(error.to_string()))?;
        config = config.transport(DebugTransport { inner });
    }
    ServiceClient::new(tool.service, &config).map_err(|error| Failure::Other(error.to_string()))
}

/// `--debug`: logs each request and response to standard error. The signature and security
/// token are not shown.
struct DebugTransport {
    inner: crate::http::ReqwestTransport,
}

impl Transport for DebugTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let mut log = format!("debug: {} {}\n", request.method, request.uri);
            for (name, value) in &request.headers {
                let value = match name.as_str() {
                    "authorization" | "x-amz-security-token" => "(not shown)".into(),
                    _ => String::from_utf8_lossy(value.as_bytes()).into_owned(),
                };
                log.push_str(&format!("debug:   {name}: {value}\n"));
            }
            if !request.body.is_empty() {
                log.push_str(&format!(
                    "debug:   body: {}\n",
                    String::from_utf8_lossy(&request.body)
                ));
            }
            eprint!("{log}");
            let started = std::time::Instant::now();
            let result = self.inner.send(request).await;
            match &result {
                Ok(response) => {
                    let mut log = format!(
                        "debug: response {} after {:?}\n",
                        response.status,
                        started.elapsed()
                    );
                    for (name, value) in &response.headers {
                        log.push_str(&format!(
                            "debug:   {name}: {}\n",
                            String::from_utf8_lossy(value.as_bytes())
                        ));
                    }
                    log.push_str(&format!(
                        "debug:   body: {}\n",
                        String::from_utf8_lossy(&response.body)
                    ));
                    eprint!("{log}");
                }
                Err(error) => {
                    eprintln!("debug: no response after {:?}: {error}", started.elapsed())
                }
            }
            result
        })
    }
}

/// One call; the result in botocore form with ISO 8601 timestamps, as the AWS CLI prints them.
/// `body` is the streaming input's; with `outfile`, the response's body is written there and
/// its member left out of the result.
async fn call(
    tool: &Tool,
    client: &ServiceClient,
    command: &Command,
    params: &Value,
    body: Option<crate::ByteStream>,
    outfile: Option<&str>,
) -> Result<Value, Failure> {
    let (mut result, raw) = tool
        .operations
        .call_with_body(client, command.operation, params, ResultStyle::AwsCli, body)
        .await
        .map_err(|error| failure(command, error))?;
    if let (Some(path), Some(member)) = (outfile, command.outfile) {
        std::fs::write(path, &raw)
            .map_err(|error| Failure::Other(format!("\ncannot write {path}: {error}")))?;
        if let Value::Object(object) = &mut result {
            object.remove(member);
        }
    }
    Ok(result)
}

/// The streaming input's option is the path of a file (the AWS CLI's "Blob values must be a
/// path to a file"): its bytes become the body, and the member leaves the parameters. The
/// file is read whole, so that the body is replayable and gets its default checksum in a
/// header, as botocore gives a file it can seek.
fn streaming_body(
    tool: &Tool,
    command: &Command,
    params: &mut Value,
    member: &str,
) -> Result<Option<crate::ByteStream>, Failure> {
    let Some(value) = params
        .as_object_mut()
        .and_then(|object| object.remove(member))
    else {
        return Ok(None);
    };
    let option = command
        .input
        .and_then(|input| match &tool.shapes[input].kind {
            Kind::Structure { members, .. } => members.iter().find(|found| found.name == member),
            _ => None,
        })
        .map_or(member, |found| found.option);
    let parameter_error = |message: String| parameter_error(option, message);
    let Some(path) = value
        .as_str()
        .filter(|path| std::path::Path::new(path).is_file())
    else {
        return Err(parameter_error(
            "Blob values must be a path to a file.".to_owned(),
        ));
    };
    let bytes = std::fs::read(path)
        .map_err(|error| parameter_error(format!("cannot read {path}: {error}")))?;
    Ok(Some(crate::ByteStream::from(bytes)))
}

/// An argument the AWS CLI could not load (a file that is missing or no text): it raises this
/// while it builds the call, so it exits as a failed call does.
fn parameter_error(option: &str, message: String) -> Failure {
    Failure::Other(format!("\nError parsing parameter '--{option}': {message}"))
}

fn failure(command: &Command, error: Error<ServiceErrorValue>) -> Failure {
    match error {
        Error::Service { error, .. } => Failure::Service(format!(
            "\nAn error occurred ({}) when calling the {} operation: {}",
            error.code,
            command.operation,
            error.message.as_deref().unwrap_or("Unknown")
        )),
        Error::InvalidInput(error) => {
            Failure::Usage(format!("\nParameter validation failed:\n{error}"))
        }
        Error::Build(error) => Failure::Usage(format!("\nParameter validation failed:\n{error}")),
        Error::Credentials(error) => Failure::Other(format!("\n{error}")),
        Error::Transport(error) => {
            Failure::Other(format!("\nCould not connect to the endpoint URL: {error}"))
        }
        Error::Timeout(error) => Failure::Other(format!("\nRead timeout on endpoint URL: {error}")),
        Error::Decode(error) => Failure::Other(format!("\n{error}")),
        Error::NotImplemented { operation } => {
            Failure::Other(format!("\n{operation} is not implemented"))
        }
        error @ (Error::Unsupported { .. } | Error::Endpoint { .. }) => {
            Failure::Other(format!("\n{error}"))
        }
    }
}

/// `--starting-token`, `--page-size` and `--max-items`.
struct PagingOptions {
    starting_token: Option<String>,
    page_size: Option<i64>,
    max_items: Option<usize>,
}

fn paging_options(
    matches: &ArgMatches,
    usage: &dyn Fn(String) -> Failure,
) -> Result<PagingOptions, Failure> {
    let number = |name: &str| -> Result<Option<i64>, Failure> {
        match matches.get_one::<String>(name) {
            None => Ok(None),
            Some(text) => match text.parse::<i64>() {
                Ok(number) if number > 0 => Ok(Some(number)),
                _ => Err(usage(format!(
                    "--{name}: expected a positive integer, got {text:?}"
                ))),
            },
        }
    };
    Ok(PagingOptions {
        starting_token: matches.get_one::<String>("starting-token").cloned(),
        page_size: number("page-size")?,
        max_items: number("max-items")?.map(|n| n as usize),
    })
}

/// Calls page after page, feeding the output token back, and merges the result keys as the AWS
/// CLI does: lists concatenated, other keys dropped but for the non-aggregate ones, and a
/// `NextToken` only when `--max-items` stops early.
async fn paginate(
    tool: &Tool,
    client: &ServiceClient,
    command: &Command,
    paginator: &Paginator,
    mut params: Value,
    options: PagingOptions,
) -> Result<Value, Failure> {
    let object = params
        .as_object_mut()
        .ok_or_else(|| Failure::Other("parameters are not an object".to_owned()))?;
    let mut skip = 0usize;
    let mut current_token: Option<Value> = None;
    if let Some(token) = &options.starting_token {
        let (tokens, truncate) = output::decode_token(token, paginator.input_token.len())
            .map_err(|message| Failure::Usage(format!("--starting-token: {message}")))?;
        for (name, value) in paginator.input_token.iter().zip(&tokens) {
            if !value.is_null() {
                object.insert((*name).to_owned(), value.clone());
            }
        }
        current_token = Some(Value::Array(tokens));
        skip = truncate;
    }
    if let (Some(limit), Some(size)) = (paginator.limit_key, options.page_size) {
        object.insert(limit.to_owned(), Value::from(size));
    }
    let mut merged = Map::new();
    let mut non_aggregate = Map::new();
    let mut count = 0usize;
    let mut resume: Option<Value> = None;
    loop {
        let page = call(tool, client, command, &params, None, None).await?;
        let page = match page {
            Value::Object(page) => page,
            _ => Map::new(),
        };
        let mut page_items = 0usize;
        for (index, key) in paginator.result_key.iter().enumerate() {
            let Some(value) = lookup(&page, key).cloned() else {
                continue;
            };
            let mut value = value;
            if let Value::Array(items) = &mut value {
                if skip > 0 {
                    let skipped = skip.min(items.len());
                    items.drain(..skipped);
                }
                if index == 0 {
                    page_items = items.len();
                }
            }
            match (merged.get_mut(*key), value) {
                (Some(Value::Array(existing)), Value::Array(items)) => existing.extend(items),
                (Some(Value::Number(existing)), Value::Number(more)) => {
                    let sum = existing.as_f64().unwrap_or(0.0) + more.as_f64().unwrap_or(0.0);
                    *existing =
                        serde_json::Number::from_f64(sum).unwrap_or_else(|| existing.clone());
                }
                (_, value) => {
                    merged.insert((*key).to_owned(), value);
                }
            }
        }
        for key in paginator.non_aggregate_keys {
            if let Some(value) = lookup(&page, key) {
                non_aggregate.insert((*key).to_owned(), value.clone());
            }
        }
        let next: Vec<Value> = paginator
            .output_token
            .iter()
            .map(|path| lookup(&page, path).cloned().unwrap_or(Value::Null))
            .collect();
        let more = paginator
            .more_results
            .map(|key| lookup(&page, key).and_then(Value::as_bool).unwrap_or(false))
            .unwrap_or(true);
        let has_next = more && next.iter().any(|token| !token.is_null());
        if let Some(max) = options.max_items {
            if count + page_items > max {
                // Keep what fits and resume inside this page next time.
                let keep = max - count;
                let first = paginator.result_key[0];
                if let Some(Value::Array(items)) = merged.get_mut(first) {
                    let drop = page_items - keep;
                    items.truncate(items.len() - drop);
                }
                let token = current_token.clone().unwrap_or_else(|| {
                    Value::Array(paginator.input_token.iter().map(|_| Value::Null).collect())
                });
                resume = Some(output::encode_token(
                    &token,
                    paginator.input_token,
                    keep + skip,
                ));
                break;
            }
            count += page_items;
            if count == max {
                if has_next {
                    resume = Some(output::encode_token(
                        &Value::Array(next),
                        paginator.input_token,
                        0,
                    ));
                }
                break;
            }
        } else {
            count += page_items;
        }
        skip = 0;
        if !has_next {
            break;
        }
        let next = Value::Array(next);
        if current_token.as_ref() == Some(&next) {
            return Err(Failure::Other(format!(
                "\nThe same next token was received twice from {}: {}",
                command.operation, next
            )));
        }
        let object = params.as_object_mut().expect("checked above");
        if let Value::Array(tokens) = &next {
            for (name, token) in paginator.input_token.iter().zip(tokens) {
                if token.is_null() {
                    object.remove(*name);
                } else {
                    object.insert((*name).to_owned(), token.clone());
                }
            }
        }
        current_token = Some(next);
    }
    for (key, value) in non_aggregate {
        merged.entry(key).or_insert(value);
    }
    if let Some(token) = resume {
        merged.insert("NextToken".to_owned(), token);
    }
    Ok(Value::Object(merged))
}

/// A value at a dotted path (`Foo.Bar`), as paginator entries name output tokens.
fn lookup<'v>(object: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    let mut parts = path.split('.');
    let mut value = object.get(parts.next()?)?;
    for part in parts {
        value = value.as_object()?.get(part)?;
    }
    if value.is_null() { None } else { Some(value) }
}
