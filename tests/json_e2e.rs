//! The JSON-protocol crates against a real server: `moto` on 127.0.0.1, started and stopped by
//! each test (see `tests::python::Moto`). DynamoDB and SQS speak awsJson 1.0 (SQS
//! query-compatible), Secrets Manager awsJson 1.1, CloudWatch awsJson 1.0 chosen from its
//! `[smithy-rpc-v2-cbor, json, query]` as botocore chooses; Glacier (rest-json) with botocore's
//! handlers for it. The last test makes clients of three services from one configuration and
//! counts what they share.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use botocore_runtime::Config;
use botocore_runtime::credentials::{Credentials, ProvideCredentials};
use botocore_runtime::error::{CredentialsError, Error};
use botocore_runtime::http::BoxFuture;

fn config(moto: &tests::python::Moto) -> Config {
    Config::new()
        .region("us-east-1")
        .endpoint_url(&moto.endpoint)
        .credentials(Credentials::new("testing", "testing", None))
}

fn string(value: &str) -> dynamodb::types::AttributeValue {
    dynamodb::types::AttributeValue::default().with_s(value)
}

#[tokio::test(flavor = "current_thread")]
async fn dynamodb_tables_items_and_pages() {
    use dynamodb::operations::GetItemError;
    use dynamodb::types::{
        AttributeDefinition, AttributeValue, BatchWriteItemInput, BillingMode, CreateTableInput,
        DeleteTableInput, DescribeTableInput, GetItemInput, KeySchemaElement, KeyType,
        PutItemInput, PutRequest, QueryInput, ScalarAttributeType, TableStatus, WriteRequest,
    };
    let moto = tests::python::Moto::start();
    let client = dynamodb::Client::new(&config(&moto)).expect("client");

    client
        .create_table(
            CreateTableInput::default()
                .with_table_name("e2e")
                .with_billing_mode(BillingMode::PayPerRequest)
                .with_attribute_definitions(vec![
                    AttributeDefinition::default()
                        .with_attribute_name("pk")
                        .with_attribute_type(ScalarAttributeType::S),
                    AttributeDefinition::default()
                        .with_attribute_name("sk")
                        .with_attribute_type(ScalarAttributeType::N),
                ])
                .with_key_schema(vec![
                    KeySchemaElement::default()
                        .with_attribute_name("pk")
                        .with_key_type(KeyType::Hash),
                    KeySchemaElement::default()
                        .with_attribute_name("sk")
                        .with_key_type(KeyType::Range),
                ]),
        )
        .await
        .expect("CreateTable");
    let mut status = None;
    for _ in 0..50 {
        let described = client
            .describe_table(DescribeTableInput::default().with_table_name("e2e"))
            .await
            .expect("DescribeTable");
        status = described.table.and_then(|table| table.table_status);
        if status == Some(TableStatus::Active) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, Some(TableStatus::Active));

    // One item with every kind of attribute value, nested.
    let nested = AttributeValue::default().with_m(HashMap::from([
        (
            "list".to_owned(),
            AttributeValue::default()
                .with_l(vec![string("a"), AttributeValue::default().with_n("1.5")]),
        ),
        ("flag".to_owned(), AttributeValue::default().with_bool(true)),
        (
            "nothing".to_owned(),
            AttributeValue::default().with_null(true),
        ),
    ]));
    let item = HashMap::from([
        ("pk".to_owned(), string("p")),
        ("sk".to_owned(), AttributeValue::default().with_n("0")),
        ("nested".to_owned(), nested.clone()),
        (
            "bytes".to_owned(),
            AttributeValue::default().with_b(vec![0u8, 1, 2, 255]),
        ),
        (
            "byte_set".to_owned(),
            AttributeValue::default().with_bs(vec![vec![1u8], vec![2u8, 3]]),
        ),
        (
            "numbers".to_owned(),
            AttributeValue::default().with_ns(vec!["1".to_owned(), "2".to_owned()]),
        ),
    ]);
    client
        .put_item(
            PutItemInput::default()
                .with_table_name("e2e")
                .with_item(item.clone()),
        )
        .await
        .expect("PutItem");
    let key = HashMap::from([
        ("pk".to_owned(), string("p")),
        ("sk".to_owned(), AttributeValue::default().with_n("0")),
    ]);
    let got = client
        .get_item(
            GetItemInput::default()
                .with_table_name("e2e")
                .with_key(key.clone()),
        )
        .await
        .expect("GetItem")
        .item
        .expect("the item");
    assert_eq!(got["nested"], nested);
    assert_eq!(got["bytes"].b.as_deref(), Some(&[0u8, 1, 2, 255][..]));
    let mut byte_set = got["byte_set"].bs.clone().expect("binary set");
    byte_set.sort();
    assert_eq!(byte_set, [vec![1u8], vec![2u8, 3]]);

    // Nine more items in one batch, then a query two at a time: map tokens between pages.
    let writes: Vec<WriteRequest> = (1..10)
        .map(|n| {
            WriteRequest::default().with_put_request(PutRequest::default().with_item(
                HashMap::from([
                    ("pk".to_owned(), string("p")),
                    (
                        "sk".to_owned(),
                        AttributeValue::default().with_n(n.to_string()),
                    ),
                ]),
            ))
        })
        .collect();
    let batch = client
        .batch_write_item(
            BatchWriteItemInput::default()
                .with_request_items(HashMap::from([("e2e".to_owned(), writes)])),
        )
        .await
        .expect("BatchWriteItem");
    assert!(batch.unprocessed_items.unwrap_or_default().is_empty());
    let pages = client
        .query_pages(
            QueryInput::default()
                .with_table_name("e2e")
                .with_key_condition_expression("pk = :pk")
                .with_expression_attribute_values(HashMap::from([(":pk".to_owned(), string("p"))]))
                .with_limit(2),
        )
        .collect()
        .await
        .expect("Query pages");
    assert!(
        pages.len() >= 5,
        "10 items, 2 a page: {} pages",
        pages.len()
    );
    assert!(
        pages[0]
            .last_evaluated_key
            .as_ref()
            .is_some_and(|key| key.contains_key("sk")),
        "the first page hands a key over"
    );
    let sort_keys: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.items.unwrap_or_default())
        .map(|item| item["sk"].n.clone().expect("number"))
        .collect();
    assert_eq!(
        sort_keys,
        (0..10).map(|n| n.to_string()).collect::<Vec<_>>()
    );

    client
        .delete_table(DeleteTableInput::default().with_table_name("e2e"))
        .await
        .expect("DeleteTable");
    let missing = client
        .get_item(GetItemInput::default().with_table_name("e2e").with_key(key))
        .await
        .expect_err("the table is gone");
    let Error::Service { error, meta } = &missing else {
        panic!("expected a service error, got {missing:?}");
    };
    assert!(
        matches!(error, GetItemError::ResourceNotFoundException(_)),
        "{error:?}"
    );
    assert_eq!(meta.status, 400);
    assert_eq!(meta.code, "ResourceNotFoundException");
}

#[tokio::test(flavor = "current_thread")]
async fn sqs_messages_and_query_compatible_errors() {
    use sqs::operations::GetQueueUrlError;
    use sqs::types::{
        CreateQueueRequest, DeleteMessageRequest, GetQueueUrlRequest, MessageAttributeValue,
        ReceiveMessageRequest, SendMessageRequest,
    };
    let moto = tests::python::Moto::start();
    let client = sqs::Client::new(&config(&moto)).expect("client");

    let created = client
        .create_queue(CreateQueueRequest::default().with_queue_name("e2e-queue"))
        .await
        .expect("CreateQueue");
    let url = client
        .get_queue_url(GetQueueUrlRequest::default().with_queue_name("e2e-queue"))
        .await
        .expect("GetQueueUrl")
        .queue_url
        .expect("a URL");
    assert_eq!(created.queue_url.as_deref(), Some(url.as_str()));

    let attributes = HashMap::from([
        (
            "text".to_owned(),
            MessageAttributeValue::default()
                .with_data_type("String")
                .with_string_value("hello"),
        ),
        (
            "bytes".to_owned(),
            MessageAttributeValue::default()
                .with_data_type("Binary")
                .with_binary_value(vec![0u8, 159, 146, 150]),
        ),
    ]);
    let sent = client
        .send_message(
            SendMessageRequest::default()
                .with_queue_url(&url)
                .with_message_body("body")
                .with_message_attributes(attributes),
        )
        .await
        .expect("SendMessage");
    assert!(sent.message_id.is_some());
    let received = client
        .receive_message(
            ReceiveMessageRequest::default()
                .with_queue_url(&url)
                .with_message_attribute_names(vec!["All".to_owned()])
                .with_max_number_of_messages(1),
        )
        .await
        .expect("ReceiveMessage");
    let message = received
        .messages
        .and_then(|messages| messages.into_iter().next())
        .expect("one message");
    assert_eq!(message.body.as_deref(), Some("body"));
    let attributes = message.message_attributes.expect("attributes");
    assert_eq!(attributes["text"].string_value.as_deref(), Some("hello"));
    assert_eq!(
        attributes["bytes"].binary_value.as_deref(),
        Some(&[0u8, 159, 146, 150][..])
    );
    client
        .delete_message(
            DeleteMessageRequest::default()
                .with_queue_url(&url)
                .with_receipt_handle(message.receipt_handle.expect("receipt handle")),
        )
        .await
        .expect("DeleteMessage");

    let missing = client
        .get_queue_url(GetQueueUrlRequest::default().with_queue_name("no-such-queue"))
        .await
        .expect_err("no such queue");
    let Error::Service { error, meta } = &missing else {
        panic!("expected a service error, got {missing:?}");
    };
    assert!(
        matches!(error, GetQueueUrlError::QueueDoesNotExist(_)),
        "the modeled shape, found through __type: {error:?}"
    );
    assert_eq!(meta.code, "AWS.SimpleQueueService.NonExistentQueue");
    assert_eq!(meta.type_code.as_deref(), Some("QueueDoesNotExist"));
    assert_eq!(meta.fault.as_deref(), Some("Sender"));
}

#[tokio::test(flavor = "current_thread")]
async fn secrets_manager_over_aws_json_1_1() {
    use secretsmanager::types::{
        CreateSecretRequest, DeleteSecretRequest, GetSecretValueRequest, ListSecretsRequest,
        PutSecretValueRequest,
    };
    let moto = tests::python::Moto::start();
    let client = secretsmanager::Client::new(&config(&moto)).expect("client");

    for index in 0..5 {
        client
            .create_secret(
                CreateSecretRequest::default()
                    .with_name(format!("e2e-{index}"))
                    .with_secret_string(format!("first-{index}")),
            )
            .await
            .expect("CreateSecret");
    }
    client
        .put_secret_value(
            PutSecretValueRequest::default()
                .with_secret_id("e2e-3")
                .with_secret_string("second"),
        )
        .await
        .expect("PutSecretValue");
    let value = client
        .get_secret_value(GetSecretValueRequest::default().with_secret_id("e2e-3"))
        .await
        .expect("GetSecretValue");
    assert_eq!(value.secret_string.as_deref(), Some("second"));
    assert!(value.created_date.is_some(), "epoch timestamps decode");

    let pages = client
        .list_secrets_pages(ListSecretsRequest::default().with_max_results(2))
        .collect()
        .await
        .expect("ListSecrets pages");
    assert_eq!(pages.len(), 3, "5 secrets, 2 a page");
    let mut names: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.secret_list.unwrap_or_default())
        .filter_map(|secret| secret.name)
        .collect();
    names.sort();
    assert_eq!(names, ["e2e-0", "e2e-1", "e2e-2", "e2e-3", "e2e-4"]);

    for index in 0..5 {
        client
            .delete_secret(
                DeleteSecretRequest::default()
                    .with_secret_id(format!("e2e-{index}"))
                    .with_force_delete_without_recovery(true),
            )
            .await
            .expect("DeleteSecret");
    }
    let left = client
        .list_secrets(ListSecretsRequest::default())
        .await
        .expect("ListSecrets");
    assert!(left.secret_list.unwrap_or_default().is_empty());
}

/// Glacier with botocore's handlers, against moto: an account id left out goes as `-` (typed
/// and by name), and an archive streamed from a file arrives whole. moto answers the SHA-256 of
/// the body it received, which is the `x-amz-content-sha256` the client computed and signed
/// (the request's headers and signature against botocore's are the runtime's unit tests).
#[tokio::test(flavor = "current_thread")]
async fn glacier_vaults_and_archives_as_botocore_sends_them() {
    use glacier::types::{
        CreateVaultInput, DeleteArchiveInput, ListVaultsInput, UploadArchiveInput,
    };
    let moto = tests::python::Moto::start();
    let client = glacier::Client::new(&config(&moto)).expect("client");
    client
        .create_vault(CreateVaultInput::default().with_vault_name("e2e-vault"))
        .await
        .expect("CreateVault without an account id");

    // Three 1 MiB pieces, so that the tree hash differs from the SHA-256.
    let body: Vec<u8> = (0..2 * 1024 * 1024 + 1).map(|i| (i % 251) as u8).collect();
    let file = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(file.path(), &body).expect("the body written");
    let created = client
        .upload_archive(
            UploadArchiveInput::default()
                .with_vault_name("e2e-vault")
                .with_archive_description("e2e")
                .with_body(
                    botocore_runtime::ByteStream::from_path(file.path())
                        .await
                        .expect("the file"),
                ),
        )
        .await
        .expect("UploadArchive from a file");
    assert_eq!(
        created.checksum.as_deref(),
        Some("72bcf8fa6c73c0a650f5c83f47e54290ba2fe60ac6cb0d8fe5b0a41dd57a0844"),
        "moto received the whole body"
    );
    let archive_id = created.archive_id.expect("an archive id");

    let style = glacier::dynamic::ResultStyle::default();
    let vault = client
        .call_operation(
            "DescribeVault",
            &serde_json::json!({"vaultName": "e2e-vault"}),
            style,
        )
        .await
        .expect("DescribeVault by name, without an account id");
    assert_eq!(vault["VaultName"], "e2e-vault");
    let vaults = client
        .list_vaults(ListVaultsInput::default())
        .await
        .expect("ListVaults");
    let names: Vec<_> = vaults
        .vault_list
        .unwrap_or_default()
        .into_iter()
        .filter_map(|vault| vault.vault_name)
        .collect();
    assert_eq!(names, ["e2e-vault"]);
    client
        .delete_archive(
            DeleteArchiveInput::default()
                .with_vault_name("e2e-vault")
                .with_archive_id(archive_id),
        )
        .await
        .expect("DeleteArchive");
}

#[tokio::test(flavor = "current_thread")]
async fn cloudwatch_speaks_aws_json_as_botocore_chooses() {
    use cloudwatch::types::{Dimension, ListMetricsInput, MetricDatum, PutMetricDataInput};
    let moto = tests::python::Moto::start();
    let client = cloudwatch::Client::new(&config(&moto)).expect("client");
    client
        .put_metric_data(
            PutMetricDataInput::default()
                .with_namespace("E2E")
                .with_metric_data(vec![
                    MetricDatum::default()
                        .with_metric_name("Latency")
                        .with_value(12.5)
                        .with_timestamp(botocore_runtime::DateTime::now_utc())
                        .with_dimensions(vec![
                            Dimension::default().with_name("Host").with_value("a"),
                        ]),
                ]),
        )
        .await
        .expect("PutMetricData");
    let metrics = client
        .list_metrics(ListMetricsInput::default().with_namespace("E2E"))
        .await
        .expect("ListMetrics")
        .metrics
        .unwrap_or_default();
    assert_eq!(metrics.len(), 1);
    assert_eq!(metrics[0].metric_name.as_deref(), Some("Latency"));
}

/// Static credentials that count how often they are fetched.
#[derive(Debug, Clone, Default)]
struct Counting(Arc<AtomicUsize>);

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Credentials::new("testing", "testing", None)) })
    }
}

/// An HTTP/1.1 proxy in front of `target` that counts the connections clients open to it and
/// keeps them alive: moto answers every request with `Connection: close`, so without a proxy no
/// connection could be reused, and a pool would not show.
struct CountingProxy {
    address: String,
    connections: Arc<AtomicUsize>,
}

impl CountingProxy {
    fn start(target: &str) -> CountingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address").to_string();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        let target = target.trim_start_matches("http://").to_owned();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                counted.fetch_add(1, Ordering::SeqCst);
                let target = target.clone();
                std::thread::spawn(move || {
                    let mut client = client;
                    while let Some(request) = read_request(&mut client) {
                        let Ok(mut server) = TcpStream::connect(&target) else {
                            return;
                        };
                        if server.write_all(&request).is_err() {
                            return;
                        }
                        let mut response = Vec::new();
                        let _ = server.read_to_end(&mut response);
                        if client.write_all(&keep_alive(&response)).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        CountingProxy {
            address: format!("http://{address}"),
            connections,
        }
    }
}

/// One request from a client (headers, then `Content-Length` bytes of body), with
/// `Connection: close` for the server; `None` when the client is done.
fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let length: usize = text
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    let mut message: Vec<u8> = text
        .trim_end()
        .lines()
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .flat_map(|line| [line.as_bytes(), b"\r\n"].concat())
        .collect();
    message.extend_from_slice(b"Connection: close\r\n\r\n");
    message.extend_from_slice(&body);
    Some(message)
}

/// A whole response read until the server closed, rewritten to keep the client's connection.
fn keep_alive(response: &[u8]) -> Vec<u8> {
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .map_or(response.len(), |at| at + 4);
    let (head, body) = response.split_at(split);
    let head = String::from_utf8_lossy(head);
    let mut lines: Vec<&str> = head
        .trim_end()
        .lines()
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    let length = format!("Content-Length: {}", body.len());
    let has_length = lines
        .iter()
        .any(|line| line.to_ascii_lowercase().starts_with("content-length:"));
    if !has_length {
        lines.push(&length);
    }
    lines.push("Connection: keep-alive");
    let mut out = lines.join("\r\n").into_bytes();
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(body);
    out
}

#[tokio::test(flavor = "current_thread")]
async fn one_configuration_serves_three_services() {
    let moto = tests::python::Moto::start();
    let proxy = CountingProxy::start(&moto.endpoint);
    let fetches = Counting::default();
    let shared = Config::new()
        .region("us-east-1")
        .endpoint_url(&proxy.address)
        .credentials_provider(fetches.clone());
    let dynamodb = dynamodb::Client::new(&shared).expect("DynamoDB client");
    let sqs = sqs::Client::new(&shared.clone()).expect("SQS client");
    let connect = connect::Client::new(&shared).expect("Connect client");

    for _ in 0..2 {
        dynamodb
            .list_tables(dynamodb::types::ListTablesInput::default())
            .await
            .expect("ListTables");
        sqs.list_queues(sqs::types::ListQueuesRequest::default())
            .await
            .expect("ListQueues");
        connect
            .list_instances(connect::types::ListInstancesRequest::default())
            .await
            .expect("ListInstances");
    }
    assert_eq!(
        fetches.0.load(Ordering::SeqCst),
        1,
        "one credential resolution for six calls of three services"
    );
    assert_eq!(
        proxy.connections.load(Ordering::SeqCst),
        1,
        "six calls of three services through one pooled connection"
    );
}
