//! botocore's `xform_name`: the snake_case method name boto3 gives an operation
//! (`StartWebRTCContact` → `start_web_rtc_contact`).

use std::sync::LazyLock;

use fancy_regex::Regex;

/// `(.)([A-Z][a-z]+)`: a capitalised word after anything.
static FIRST_CAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("(.)([A-Z][a-z]+)").expect("a valid pattern"));
/// `([a-z0-9])([A-Z])`: a capital after a lowercase letter or digit.
static END_CAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("([a-z0-9])([A-Z])").expect("a valid pattern"));
/// `[A-Z]{2,}s$`: a pluralised acronym at the end (`GatewayARNs`).
static PLURAL_ACRONYM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("[A-Z]{2,}s$").expect("a valid pattern"));

/// Names botocore spells by hand because the rules get them wrong (its `_xform_cache`).
const SPECIAL: &[(&str, &str)] = &[
    ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),
    (
        "DescribeCachediSCSIVolumes",
        "describe_cached_iscsi_volumes",
    ),
    (
        "DescribeStorediSCSIVolumes",
        "describe_stored_iscsi_volumes",
    ),
    ("CreateStorediSCSIVolume", "create_stored_iscsi_volume"),
    (
        "ListHITsForQualificationType",
        "list_hits_for_qualification_type",
    ),
    ("ExecutePartiQLStatement", "execute_partiql_statement"),
    ("ExecutePartiQLTransaction", "execute_partiql_transaction"),
    ("ExecutePartiQLBatch", "execute_partiql_batch"),
    ("CreateOAuth2Token", "create_oauth2_token"),
    ("CreateOAuth2TokenWithIAM", "create_oauth2_token_with_iam"),
    (
        "IntrospectOAuth2TokenWithIAM",
        "introspect_oauth2_token_with_iam",
    ),
    ("RevokeOAuth2TokenWithIAM", "revoke_oauth2_token_with_iam"),
    (
        "AssociateWhatsAppBusinessAccount",
        "associate_whatsapp_business_account",
    ),
    ("CreateWhatsAppDataset", "create_whatsapp_dataset"),
    ("CreateWhatsAppFlow", "create_whatsapp_flow"),
    (
        "CreateWhatsAppMessageTemplate",
        "create_whatsapp_message_template",
    ),
    (
        "CreateWhatsAppMessageTemplateFromLibrary",
        "create_whatsapp_message_template_from_library",
    ),
    (
        "CreateWhatsAppMessageTemplateMedia",
        "create_whatsapp_message_template_media",
    ),
    ("DeleteWhatsAppFlow", "delete_whatsapp_flow"),
    (
        "DeleteWhatsAppMessageMedia",
        "delete_whatsapp_message_media",
    ),
    (
        "DeleteWhatsAppMessageTemplate",
        "delete_whatsapp_message_template",
    ),
    ("DeprecateWhatsAppFlow", "deprecate_whatsapp_flow"),
    (
        "DisassociateWhatsAppBusinessAccount",
        "disassociate_whatsapp_business_account",
    ),
    (
        "GetLinkedWhatsAppBusinessAccount",
        "get_linked_whatsapp_business_account",
    ),
    (
        "GetLinkedWhatsAppBusinessAccountPhoneNumber",
        "get_linked_whatsapp_business_account_phone_number",
    ),
    ("GetOTelEnrichment", "get_otel_enrichment"),
    ("GetWhatsAppFlow", "get_whatsapp_flow"),
    ("GetWhatsAppFlowPreview", "get_whatsapp_flow_preview"),
    ("GetWhatsAppMessageMedia", "get_whatsapp_message_media"),
    (
        "GetWhatsAppMessageTemplate",
        "get_whatsapp_message_template",
    ),
    (
        "ListLinkedWhatsAppBusinessAccounts",
        "list_linked_whatsapp_business_accounts",
    ),
    ("ListWhatsAppFlowAssets", "list_whatsapp_flow_assets"),
    ("ListWhatsAppFlows", "list_whatsapp_flows"),
    (
        "ListWhatsAppMessageTemplates",
        "list_whatsapp_message_templates",
    ),
    (
        "ListWhatsAppTemplateLibrary",
        "list_whatsapp_template_library",
    ),
    ("PostWhatsAppMessageMedia", "post_whatsapp_message_media"),
    ("PublishWhatsAppFlow", "publish_whatsapp_flow"),
    (
        "PutWhatsAppBusinessAccountEventDestinations",
        "put_whatsapp_business_account_event_destinations",
    ),
    (
        "SendWhatsAppConversionEvent",
        "send_whatsapp_conversion_event",
    ),
    ("SendWhatsAppMessage", "send_whatsapp_message"),
    ("StartOTelEnrichment", "start_otel_enrichment"),
    ("StopOTelEnrichment", "stop_otel_enrichment"),
    ("UpdateWhatsAppFlow", "update_whatsapp_flow"),
    ("UpdateWhatsAppFlowAssets", "update_whatsapp_flow_assets"),
    (
        "UpdateWhatsAppMessageTemplate",
        "update_whatsapp_message_template",
    ),
];

/// The Python name boto3 gives a model name, by botocore's rules.
pub fn xform_name(name: &str) -> String {
    if name.contains('_') {
        return name.to_owned();
    }
    if let Some((_, special)) = SPECIAL.iter().find(|(model, _)| *model == name) {
        return (*special).to_owned();
    }
    let mut name = name.to_owned();
    if let Ok(Some(plural)) = PLURAL_ACRONYM.find(&name) {
        let (start, matched) = (plural.start(), plural.as_str().to_ascii_lowercase());
        name = format!("{}_{matched}", &name[..start]);
    }
    let spaced = FIRST_CAP.replace_all(&name, "${1}_${2}");
    END_CAP.replace_all(&spaced, "${1}_${2}").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values from botocore 1.43's `xform_name`.
    #[test]
    fn follows_botocore() {
        for (model, python) in [
            ("StartWebRTCContact", "start_web_rtc_contact"),
            ("DescribeContact", "describe_contact"),
            ("ListGatewayARNs", "list_gateway_arns"),
            ("GetMetricDataV2", "get_metric_data_v2"),
            ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),
            ("already_snake", "already_snake"),
            ("AB", "ab"),
        ] {
            assert_eq!(xform_name(model), python, "{model}");
        }
    }
}
