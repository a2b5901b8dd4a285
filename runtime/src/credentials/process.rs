//! `credential_process`: a command the profile names, run without a shell (its words split as
//! a POSIX shell would, as botocore does), that prints `{"Version": 1, "AccessKeyId": ...,
//! "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}` on standard output.
//!
//! Errors quote the exit status and standard error (trimmed), never standard output: it holds
//! the secret.

use super::{Credentials, credentials_from_json};
use crate::error::CredentialsError;

/// The longest piece of standard error an error quotes.
const STDERR_SHOWN: usize = 500;

/// Runs `command` and reads the credentials it prints.
pub(crate) async fn credentials(command: &str) -> Result<Credentials, CredentialsError> {
    let words = shlex::split(command).unwrap_or_default();
    let Some((program, arguments)) = words.split_first() else {
        return Err(CredentialsError::new(
            "credential_process is empty or its quotes do not close",
        ));
    };
    tracing::debug!(program, "running credential_process");
    let output = tokio::process::Command::new(program)
        .args(arguments)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|error| {
            CredentialsError::new(format!("credential_process cannot run {program}: {error}"))
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr.trim();
        let shown: String = stderr.chars().take(STDERR_SHOWN).collect();
        return Err(CredentialsError::new(format!(
            "credential_process {program} failed ({}){}{shown}",
            output.status,
            if shown.is_empty() { "" } else { ": " }
        )));
    }
    let what = format!("the output of credential_process {program}");
    let document: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|error| CredentialsError::new(format!("{what} is not JSON ({error})")))?;
    match document.get("Version").and_then(serde_json::Value::as_u64) {
        Some(1) => credentials_from_json(&output.stdout, &what),
        _ => Err(CredentialsError::new(format!(
            "{what} has no \"Version\": 1 (the only version there is)"
        ))),
    }
}
