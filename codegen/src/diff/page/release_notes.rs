//! The release note of a service from a botocore changelog entry (`.changes/1.35.47.json`: a list
//! of `{"category": "``connect``", "description": "...", "type": "api-change"}`).
//!
//! The change pages pick a service's entries the way `aws-sdk-api-changes` does
//! (`ServiceChange.associate_logs`): categories are lower-cased with their backquotes stripped,
//! then looked up by the service's `serviceId`, `signingName`, `endpointPrefix` and a few
//! spellings of them; the first name with entries wins and its descriptions are joined by line
//! breaks.

use models::Metadata;
use serde_json::Value;

/// A changelog entry file that is not what botocore writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReleaseNoteError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("expected a list of changelog entries")]
    NotAList,
    #[error("entry {0} has no string `category` and `description`")]
    BadEntry(usize),
}

/// The release note for the service `metadata` describes, from the text of a botocore changelog
/// entry file; `Ok(None)` when no entry names the service.
pub fn release_note(metadata: &Metadata, json: &str) -> Result<Option<String>, ReleaseNoteError> {
    let value: Value =
        serde_json::from_str(json).map_err(|error| ReleaseNoteError::NotJson(error.to_string()))?;
    let entries = value.as_array().ok_or(ReleaseNoteError::NotAList)?;
    let mut notes: Vec<(String, &str)> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let field = |name: &str| entry.get(name).and_then(Value::as_str);
        let (Some(category), Some(description)) = (field("category"), field("description")) else {
            return Err(ReleaseNoteError::BadEntry(index));
        };
        notes.push((category.trim_matches('`').to_lowercase(), description));
    }
    for name in candidates(metadata) {
        let name = name.to_lowercase();
        let found: Vec<&str> = notes
            .iter()
            .filter(|(category, _)| *category == name)
            .map(|(_, description)| *description)
            .collect();
        if !found.is_empty() {
            return Ok(Some(found.join("\n")));
        }
    }
    Ok(None)
}

/// The names a changelog may file the service under, in the order the change pages try them.
fn candidates(metadata: &Metadata) -> Vec<String> {
    let service_id = metadata.service_id.as_str();
    let endpoint = metadata.endpoint_prefix.as_str();
    let uid_name: Vec<&str> = metadata
        .uid
        .as_deref()
        .unwrap_or("")
        .split('-')
        .filter(|part| !part.chars().all(|c| c.is_ascii_digit()))
        .collect();
    [
        renamed(service_id).map(str::to_owned),
        Some(service_id.to_owned()),
        metadata.signing_name.clone(),
        Some(endpoint.to_owned()),
        metadata
            .service_abbreviation
            .as_deref()
            .map(|abbreviation| abbreviation.replace(' ', "-")),
        Some(uid_name.join("-")),
        Some(endpoint.replace('-', "")),
        Some(service_id.replace(' ', "")),
        Some(format!("{service_id}service")),
        Some(format!("{}service", endpoint.replace('-', ""))),
        Some(service_id.replace(' ', "-")),
    ]
    .into_iter()
    .flatten()
    .filter(|name| !name.is_empty())
    .collect()
}

/// Services whose changelog name is not derived from their model (the pages' `LOG_ID_MAP`).
fn renamed(service_id: &str) -> Option<&'static str> {
    Some(match service_id {
        "Elastic Load Balancing v2" => "elbv2",
        "Lex Runtime Service" => "lexruntime",
        "SFN" => "stepfunctions",
        "IoT 1Click Devices Service" => "iot1click-devices",
        "SageMaker A2I Runtime" => "augmentedairuntime",
        "Cognito Identity Provider" => "cognitoidentityserviceprovider",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connect() -> Metadata {
        Metadata {
            service_id: "Connect".to_owned(),
            endpoint_prefix: "connect".to_owned(),
            signing_name: Some("connect".to_owned()),
            uid: Some("connect-2017-08-08".to_owned()),
            ..Metadata::default()
        }
    }

    #[test]
    fn picks_the_services_entries() {
        let json = r#"[
            {"category": "``connect``", "description": "One.", "type": "api-change"},
            {"category": "``connectcases``", "description": "Other.", "type": "api-change"},
            {"category": "``Connect``", "description": "Two.", "type": "api-change"}
        ]"#;
        assert_eq!(
            release_note(&connect(), json),
            Ok(Some("One.\nTwo.".to_owned()))
        );
        assert_eq!(release_note(&connect(), "[]"), Ok(None));
    }

    #[test]
    fn rejects_what_botocore_does_not_write() {
        assert!(matches!(
            release_note(&connect(), "{"),
            Err(ReleaseNoteError::NotJson(_))
        ));
        assert_eq!(
            release_note(&connect(), "{}"),
            Err(ReleaseNoteError::NotAList)
        );
        assert_eq!(
            release_note(&connect(), r#"[{"category": 1}]"#),
            Err(ReleaseNoteError::BadEntry(0))
        );
    }
}
