//! The generated client against a real server: `moto` (Python), installed by this test into
//! `target/moto-venv` on first use (`moto[server]` pinned in `tests/moto-requirements.txt`),
//! started on 127.0.0.1 with an OS-chosen port, and stopped when the test ends.
//!
//! It drives every Connect operation moto implements, SigV4-signed with test credentials:
//! create, describe, list (paginated, 2 per page), tag, list tags, untag, the analytics
//! data-set associations, delete, and the typed `ResourceNotFoundException` for the deleted
//! instance.

use connect::operations::DescribeInstanceError;
use connect::types::{
    AssociateAnalyticsDataSetRequest, CreateInstanceRequest, DeleteInstanceRequest,
    DescribeInstanceRequest, DirectoryType, DisassociateAnalyticsDataSetRequest,
    ListAnalyticsDataAssociationsRequest, ListInstancesRequest, ListTagsForResourceRequest,
    TagResourceRequest, UntagResourceRequest,
};
use connect::{Client, Config, Credentials, Error};

#[tokio::test(flavor = "current_thread")]
async fn every_operation_moto_implements() {
    let moto = tests::python::Moto::start();
    let client = Client::new(
        &Config::new()
            .region("us-east-1")
            .endpoint_url(&moto.endpoint)
            .credentials(Credentials::new("testing", "testing", None)),
    )
    .expect("client");

    // Five instances, so that two per page takes three pages.
    let mut ids = Vec::new();
    let mut arns = Vec::new();
    for index in 0..5 {
        let created = client
            .create_instance(
                CreateInstanceRequest::default()
                    .with_identity_management_type(DirectoryType::ConnectManaged)
                    .with_instance_alias(format!("e2e-{index}"))
                    .with_inbound_calls_enabled(true)
                    .with_outbound_calls_enabled(true),
            )
            .await
            .expect("CreateInstance");
        ids.push(created.id.expect("instance id"));
        arns.push(created.arn.expect("instance arn"));
    }

    let described = client
        .describe_instance(DescribeInstanceRequest::default().with_instance_id(&ids[0]))
        .await
        .expect("DescribeInstance");
    let instance = described.instance.expect("instance");
    assert_eq!(instance.id.as_deref(), Some(ids[0].as_str()));
    assert_eq!(instance.instance_alias.as_deref(), Some("e2e-0"));
    assert!(
        instance.created_time.is_some(),
        "ISO 8601 timestamps decode"
    );

    let pages = client
        .list_instances_pages(ListInstancesRequest::default().with_max_results(2))
        .collect()
        .await
        .expect("ListInstances pages");
    assert_eq!(pages.len(), 3, "5 instances, 2 per page");
    let listed: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.instance_summary_list.unwrap_or_default())
        .filter_map(|summary| summary.id)
        .collect();
    let mut expected = ids.clone();
    expected.sort();
    let mut found = listed.clone();
    found.sort();
    assert_eq!(found, expected);

    client
        .tag_resource(
            TagResourceRequest::default()
                .with_resource_arn(&arns[0])
                .with_tags([
                    ("team".to_owned(), "support".to_owned()),
                    ("tier".to_owned(), "1".to_owned()),
                ]),
        )
        .await
        .expect("TagResource");
    let tags = client
        .list_tags_for_resource(ListTagsForResourceRequest::default().with_resource_arn(&arns[0]))
        .await
        .expect("ListTagsForResource")
        .tags
        .unwrap_or_default();
    assert_eq!(tags.get("team").map(String::as_str), Some("support"));
    assert_eq!(tags.len(), 2);
    client
        .untag_resource(
            UntagResourceRequest::default()
                .with_resource_arn(&arns[0])
                .with_tag_keys(vec!["tier".to_owned()]),
        )
        .await
        .expect("UntagResource");
    let tags = client
        .list_tags_for_resource(ListTagsForResourceRequest::default().with_resource_arn(&arns[0]))
        .await
        .expect("ListTagsForResource")
        .tags
        .unwrap_or_default();
    assert_eq!(tags.keys().collect::<Vec<_>>(), ["team"]);

    for data_set in ["data-set-1", "data-set-2"] {
        let associated = client
            .associate_analytics_data_set(
                AssociateAnalyticsDataSetRequest::default()
                    .with_instance_id(&ids[0])
                    .with_data_set_id(data_set),
            )
            .await
            .expect("AssociateAnalyticsDataSet");
        assert_eq!(associated.data_set_id.as_deref(), Some(data_set));
    }
    let associations = client
        .list_analytics_data_associations(
            ListAnalyticsDataAssociationsRequest::default().with_instance_id(&ids[0]),
        )
        .await
        .expect("ListAnalyticsDataAssociations")
        .results
        .unwrap_or_default();
    assert_eq!(associations.len(), 2);
    client
        .disassociate_analytics_data_set(
            DisassociateAnalyticsDataSetRequest::default()
                .with_instance_id(&ids[0])
                .with_data_set_id("data-set-1"),
        )
        .await
        .expect("DisassociateAnalyticsDataSet");
    let associations = client
        .list_analytics_data_associations(
            ListAnalyticsDataAssociationsRequest::default().with_instance_id(&ids[0]),
        )
        .await
        .expect("ListAnalyticsDataAssociations")
        .results
        .unwrap_or_default();
    let remaining: Vec<_> = associations
        .iter()
        .filter_map(|a| a.data_set_id.as_deref())
        .collect();
    assert_eq!(remaining, ["data-set-2"]);

    client
        .delete_instance(DeleteInstanceRequest::default().with_instance_id(&ids[0]))
        .await
        .expect("DeleteInstance");
    let gone = client
        .describe_instance(DescribeInstanceRequest::default().with_instance_id(&ids[0]))
        .await;
    match gone {
        Err(Error::Service {
            error: DescribeInstanceError::ResourceNotFoundException(error),
            meta,
        }) => {
            assert_eq!(meta.status, 404);
            assert!(
                error
                    .message
                    .as_deref()
                    .is_some_and(|m| m.contains(&ids[0])),
                "the message names the instance: {error:?}"
            );
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }

    // The trait is implemented by the client too: the same call through it.
    let through_trait = connect::ConnectApi::describe_instance(
        &client,
        DescribeInstanceRequest::default().with_instance_id(&ids[1]),
    )
    .await
    .expect("DescribeInstance through the trait");
    assert!(through_trait.instance.is_some());
}
