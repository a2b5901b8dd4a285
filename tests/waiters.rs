//! Waiters (`waiters-2.json`, feature `waiters`): the generated `wait_until_*` methods against a
//! real server, each case decided next to botocore's own waiter on the same server, and on a
//! mock of the service trait.
//!
//! - `waiters_decide_as_botocore_does_against_moto`: fifteen waits of DynamoDB (awsJson), S3
//!   (rest-xml, status matchers), EC2 (ec2, `pathAll` and an error no acceptor expects) and IAM
//!   (query) against moto, with no delay and at most three calls; ours must end as botocore
//!   1.44.8's `Waiter.wait` ends on the same resources: the same success, or the same
//!   `WaiterError` message word for word.
//! - `waiters_work_on_a_mock_of_the_service_trait`: the trait's waiters on an implementation
//!   with no network: a status that changes, a failure acceptor, the delay between calls and
//!   a call that gets no response.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use botocore_runtime::Config;
use botocore_runtime::credentials::Credentials;
use botocore_runtime::error::Error;
use dynamodb::waiters::{WaitConfig, WaitError, WaitFailure, Waited};
use serde_json::{Value, json};

fn config(moto: &tests::python::Moto) -> Config {
    Config::new()
        .region("us-east-1")
        .endpoint_url(&moto.endpoint)
        .credentials(Credentials::new("testing", "testing", None))
}

/// No delay and at most three calls, as botocore's `WaiterConfig` gives them to its waiter.
fn quick() -> WaitConfig {
    WaitConfig::new().delay(Duration::ZERO).max_attempts(3)
}

/// `success`, or the failure's message (botocore's `str(WaiterError)`).
fn outcome<T>(waited: Result<Waited<T>, WaitError<T>>) -> String {
    match waited {
        Ok(_) => "success".to_owned(),
        Err(error) => error.to_string(),
    }
}

/// Runs each `(service, waiter, params)` case through botocore's own waiter against `endpoint`,
/// with the same configuration as [`quick`]; `success` or `str(WaiterError)` for each.
fn botocore_outcomes(endpoint: &str, cases: &Value) -> Vec<String> {
    let python = tests::python::venv("moto-venv", "moto-requirements.txt", "moto.server");
    let script = r#"
import json, sys
import botocore.config, botocore.session
from botocore.exceptions import WaiterError
endpoint, cases = sys.argv[1], json.loads(sys.argv[2])
session = botocore.session.get_session()
outcomes = []
for service, waiter, params in cases:
    client = session.create_client(
        service, region_name="us-east-1", endpoint_url=endpoint,
        aws_access_key_id="testing", aws_secret_access_key="testing",
        config=botocore.config.Config(s3={"addressing_style": "path"}))
    try:
        client.get_waiter(waiter).wait(WaiterConfig={"Delay": 0, "MaxAttempts": 3}, **params)
        outcomes.append("success")
    except WaiterError as error:
        outcomes.append(str(error))
print(json.dumps(outcomes))
"#;
    let output = std::process::Command::new(python)
        .args(["-c", script, endpoint, &cases.to_string()])
        // The models and waiters botocore reads are the ones the crates were generated from.
        .env(
            "AWS_DATA_PATH",
            tests::workspace_root().join("service-json"),
        )
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "botocore's waiters failed to run:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("a JSON list of outcomes")
}

#[tokio::test(flavor = "current_thread")]
async fn waiters_decide_as_botocore_does_against_moto() {
    let moto = tests::python::Moto::start();
    let config = config(&moto);
    let dynamodb = dynamodb::Client::new(&config).expect("client");
    let s3 = s3::Client::new(&config).expect("client");
    let ec2 = ec2::Client::new(&config).expect("client");
    let iam = iam::Client::new(&config).expect("client");

    // The resources some waits find.
    {
        use dynamodb::types::{
            AttributeDefinition, BillingMode, CreateTableInput, KeySchemaElement, KeyType,
            ScalarAttributeType,
        };
        dynamodb
            .create_table(
                CreateTableInput::default()
                    .with_table_name("ready")
                    .with_billing_mode(BillingMode::PayPerRequest)
                    .with_attribute_definitions(vec![
                        AttributeDefinition::default()
                            .with_attribute_name("pk")
                            .with_attribute_type(ScalarAttributeType::S),
                    ])
                    .with_key_schema(vec![
                        KeySchemaElement::default()
                            .with_attribute_name("pk")
                            .with_key_type(KeyType::Hash),
                    ]),
            )
            .await
            .expect("CreateTable");
    }
    s3.create_bucket(s3::types::CreateBucketRequest::default().with_bucket("present"))
        .await
        .expect("CreateBucket");
    s3.put_object(
        s3::types::PutObjectRequest::default()
            .with_bucket("present")
            .with_key("here")
            .with_body(botocore_runtime::ByteStream::from_bytes("hello")),
    )
    .await
    .expect("PutObject");
    let vpc_id = ec2
        .create_vpc(ec2::types::CreateVpcRequest::default().with_cidr_block("10.30.0.0/16"))
        .await
        .expect("CreateVpc")
        .vpc
        .and_then(|vpc| vpc.vpc_id)
        .expect("a VPC id");
    iam.create_user(iam::types::CreateUserRequest::default().with_user_name("present"))
        .await
        .expect("CreateUser");

    let table = |name: &str| dynamodb::types::DescribeTableInput::default().with_table_name(name);
    let bucket = |name: &str| s3::types::HeadBucketRequest::default().with_bucket(name);
    let object = |key: &str| {
        s3::types::HeadObjectRequest::default()
            .with_bucket("present")
            .with_key(key)
    };
    let vpcs = |id: &str| ec2::types::DescribeVpcsRequest::default().with_vpc_ids(vec![id.into()]);
    let user = |name: &str| iam::types::GetUserRequest::default().with_user_name(name);

    let mut cases: Vec<(Value, String)> = Vec::new();
    let mut case = |botocore: Value, ours: String| cases.push((botocore, ours));
    case(
        json!(["dynamodb", "table_exists", {"TableName": "ready"}]),
        outcome(
            dynamodb
                .wait_until_table_exists(table("ready"), quick())
                .await,
        ),
    );
    case(
        json!(["dynamodb", "table_exists", {"TableName": "missing"}]),
        outcome(
            dynamodb
                .wait_until_table_exists(table("missing"), quick())
                .await,
        ),
    );
    case(
        json!(["dynamodb", "table_not_exists", {"TableName": "ready"}]),
        outcome(
            dynamodb
                .wait_until_table_not_exists(table("ready"), quick())
                .await,
        ),
    );
    // Success on an error: what a waiter for something's absence waits for.
    let gone = dynamodb
        .wait_until_table_not_exists(table("missing"), quick())
        .await
        .expect("the missing table does not exist");
    assert_eq!(gone.attempts, 1);
    assert!(
        matches!(
            gone.last,
            Err(Error::Service {
                error: dynamodb::operations::DescribeTableError::ResourceNotFoundException(_),
                ..
            })
        ),
        "the success is the typed error: {:?}",
        gone.last
    );
    case(
        json!(["dynamodb", "table_not_exists", {"TableName": "missing"}]),
        "success".to_owned(),
    );
    case(
        json!(["s3", "bucket_exists", {"Bucket": "present"}]),
        outcome(
            s3.wait_until_bucket_exists(bucket("present"), quick())
                .await,
        ),
    );
    case(
        json!(["s3", "bucket_not_exists", {"Bucket": "absent"}]),
        outcome(
            s3.wait_until_bucket_not_exists(bucket("absent"), quick())
                .await,
        ),
    );
    case(
        json!(["s3", "bucket_not_exists", {"Bucket": "present"}]),
        outcome(
            s3.wait_until_bucket_not_exists(bucket("present"), quick())
                .await,
        ),
    );
    case(
        json!(["s3", "object_exists", {"Bucket": "present", "Key": "here"}]),
        outcome(s3.wait_until_object_exists(object("here"), quick()).await),
    );
    case(
        json!(["s3", "object_exists", {"Bucket": "present", "Key": "nowhere"}]),
        outcome(
            s3.wait_until_object_exists(object("nowhere"), quick())
                .await,
        ),
    );
    case(
        json!(["s3", "object_not_exists", {"Bucket": "present", "Key": "nowhere"}]),
        outcome(
            s3.wait_until_object_not_exists(object("nowhere"), quick())
                .await,
        ),
    );
    case(
        json!(["ec2", "vpc_available", {"VpcIds": [vpc_id]}]),
        outcome(ec2.wait_until_vpc_available(vpcs(&vpc_id), quick()).await),
    );
    case(
        json!(["ec2", "vpc_available", {"VpcIds": ["vpc-12345678"]}]),
        outcome(
            ec2.wait_until_vpc_available(vpcs("vpc-12345678"), quick())
                .await,
        ),
    );
    case(
        json!(["ec2", "vpc_exists", {"VpcIds": ["vpc-12345678"]}]),
        outcome(
            ec2.wait_until_vpc_exists(vpcs("vpc-12345678"), quick())
                .await,
        ),
    );
    case(
        json!(["iam", "user_exists", {"UserName": "present"}]),
        outcome(iam.wait_until_user_exists(user("present"), quick()).await),
    );
    case(
        json!(["iam", "user_exists", {"UserName": "absent"}]),
        outcome(iam.wait_until_user_exists(user("absent"), quick()).await),
    );

    let botocore = botocore_outcomes(
        &moto.endpoint,
        &Value::Array(cases.iter().map(|(case, _)| case.clone()).collect()),
    );
    let ours: Vec<&str> = cases.iter().map(|(_, ours)| ours.as_str()).collect();
    eprintln!("outcomes: {ours:#?}");
    assert_eq!(ours, botocore, "cases: {cases:#?}");
    // The cases cover every way a wait ends.
    for expected in [
        "success",
        "Max attempts exceeded. Previously accepted state: Matched expected service error code: ResourceNotFoundException",
        "Max attempts exceeded. Previously accepted state: Matched expected HTTP status code: 404",
        "Max attempts exceeded. Previously accepted state: Matched expected service error code: NoSuchEntity",
        "An error occurred (InvalidVpcID.NotFound): ",
    ] {
        assert!(
            ours.iter().any(|outcome| outcome.contains(expected)),
            "no case ends with {expected:?}: {ours:#?}"
        );
    }
}

/// A DynamoDB that answers `DescribeTable` and `DescribeImport` with the statuses given, one per
/// call (the last repeated), and counts the calls.
#[derive(Clone, Default)]
struct Scripted {
    statuses: Arc<Vec<&'static str>>,
    calls: Arc<AtomicU32>,
}

impl Scripted {
    fn new(statuses: &[&'static str]) -> Self {
        Scripted {
            statuses: Arc::new(statuses.to_vec()),
            calls: Arc::default(),
        }
    }

    fn next(&self) -> &'static str {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) as usize;
        self.statuses[call.min(self.statuses.len() - 1)]
    }
}

impl dynamodb::DynamoDbApi for Scripted {
    async fn describe_table(
        &self,
        _: dynamodb::types::DescribeTableInput,
    ) -> Result<dynamodb::types::DescribeTableOutput, Error<dynamodb::operations::DescribeTableError>>
    {
        let table = dynamodb::types::TableDescription::default()
            .with_table_name("t")
            .with_table_status(self.next());
        Ok(dynamodb::types::DescribeTableOutput::default().with_table(table))
    }

    async fn describe_import(
        &self,
        _: dynamodb::types::DescribeImportInput,
    ) -> Result<
        dynamodb::types::DescribeImportOutput,
        Error<dynamodb::operations::DescribeImportError>,
    > {
        let status = self.next();
        if status == "unanswered" {
            return Err(Error::NotImplemented {
                operation: "DescribeImport",
            });
        }
        let import = dynamodb::types::ImportTableDescription::default().with_import_status(status);
        Ok(dynamodb::types::DescribeImportOutput::default().with_import_table_description(import))
    }
}

#[tokio::test(flavor = "current_thread")]
async fn waiters_work_on_a_mock_of_the_service_trait() {
    use dynamodb::DynamoDbApi as _;
    let table = dynamodb::types::DescribeTableInput::default().with_table_name("t");
    let import = dynamodb::types::DescribeImportInput::default().with_import_arn("arn");

    // CREATING twice, then ACTIVE: three calls, the last output handed back.
    let mock = Scripted::new(&["CREATING", "CREATING", "ACTIVE"]);
    let waited = mock
        .wait_until_table_exists(table.clone(), quick().max_attempts(5))
        .await
        .expect("the table becomes active");
    assert_eq!(waited.attempts, 3);
    assert_eq!(mock.calls.load(Ordering::SeqCst), 3);
    let status = waited
        .last
        .expect("an output")
        .table
        .and_then(|table| table.table_status);
    assert_eq!(status, Some(dynamodb::types::TableStatus::Active));

    // Never active: the model's attempts, or the caller's.
    let mock = Scripted::new(&["CREATING"]);
    let error = mock
        .wait_until_table_exists(table.clone(), quick())
        .await
        .expect_err("never active");
    assert_eq!(
        (error.attempts, &error.reason),
        (3, &WaitFailure::MaxAttempts(None))
    );
    assert_eq!(
        error.to_string(),
        "Waiter TableExists failed: Max attempts exceeded"
    );

    // A failure acceptor ends the wait at once.
    let mock = Scripted::new(&["IN_PROGRESS", "FAILED", "COMPLETED"]);
    let error = mock
        .wait_until_import_completed(import.clone(), quick().max_attempts(10))
        .await
        .expect_err("the import failed");
    assert_eq!(error.attempts, 2);
    assert_eq!(
        error.to_string(),
        "Waiter ImportCompleted failed: Waiter encountered a terminal failure state: For \
         expression \"ImportTableDescription.ImportStatus\" we matched expected path: \"FAILED\""
    );

    // A call that gets no response ends the wait with its error.
    let mock = Scripted::new(&["IN_PROGRESS", "unanswered"]);
    let error = mock
        .wait_until_import_completed(import, quick().max_attempts(10))
        .await
        .expect_err("no response");
    assert_eq!(
        (error.attempts, &error.reason),
        (2, &WaitFailure::NoResponse)
    );
    assert!(matches!(error.last, Err(Error::NotImplemented { .. })));
    assert!(
        std::error::Error::source(&error).is_some(),
        "the call's error is the source"
    );

    // The delay passes between calls (and not after the last).
    let mock = Scripted::new(&["CREATING", "CREATING", "ACTIVE"]);
    let started = Instant::now();
    mock.wait_until_table_exists(
        table,
        WaitConfig::new()
            .delay(Duration::from_millis(60))
            .max_attempts(5),
    )
    .await
    .expect("active on the third call");
    assert!(
        started.elapsed() >= Duration::from_millis(120),
        "two delays of 60 ms: {:?}",
        started.elapsed()
    );
}
