//! The XML-protocol crates against a real server: `moto` on 127.0.0.1, started and stopped by
//! each test. IAM and STS speak query (form requests, `<OpResponse><OpResult>` answers,
//! `<ErrorResponse>` errors matched by their modeled `error.code`), EC2 speaks ec2 (`.N` lists,
//! `<item>` answers, errors nothing models); SimpleDB speaks query signed with Signature
//! Version 2.

use std::sync::{Arc, Mutex};

use botocore_runtime::Config;
use botocore_runtime::credentials::Credentials;
use botocore_runtime::error::Error;

fn config(moto: &tests::python::Moto) -> Config {
    Config::new()
        .region("us-east-1")
        .endpoint_url(&moto.endpoint)
        .credentials(Credentials::new("testing", "testing", None))
}

#[tokio::test(flavor = "current_thread")]
async fn iam_users_pages_tags_and_typed_errors() {
    use iam::operations::GetUserError;
    use iam::types::{
        CreateRoleRequest, CreateUserRequest, DeleteUserRequest, GetUserRequest, ListRolesRequest,
        ListUserTagsRequest, ListUsersRequest, Tag, TagUserRequest,
    };
    let moto = tests::python::Moto::start();
    let client = iam::Client::new(&config(&moto)).expect("client");

    for index in 0..5 {
        let created = client
            .create_user(
                CreateUserRequest::default()
                    .with_user_name(format!("e2e-{index}"))
                    .with_path("/e2e/"),
            )
            .await
            .expect("CreateUser");
        let user = created.user.expect("the user");
        assert_eq!(user.user_name, Some(format!("e2e-{index}")));
        assert!(user.create_date.is_some(), "ISO 8601 timestamps decode");
    }

    // moto ignores `MaxItems` for ListUsers (it answers every user at once), so paging is
    // shown with ListRoles, which moto pages, and ListUsers' paginator with scripted pages in
    // `iam_list_users_pages_follow_the_marker`.
    let users = client
        .list_users(ListUsersRequest::default().with_path_prefix("/e2e/"))
        .await
        .expect("ListUsers");
    assert_eq!(users.is_truncated, Some(false));
    let mut names: Vec<String> = users
        .users
        .unwrap_or_default()
        .into_iter()
        .filter_map(|user| user.user_name)
        .collect();
    names.sort();
    assert_eq!(names, ["e2e-0", "e2e-1", "e2e-2", "e2e-3", "e2e-4"]);

    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    for index in 0..5 {
        client
            .create_role(
                CreateRoleRequest::default()
                    .with_role_name(format!("e2e-role-{index}"))
                    .with_path("/e2e/")
                    .with_assume_role_policy_document(trust),
            )
            .await
            .expect("CreateRole");
    }
    let pages = client
        .list_roles_pages(
            ListRolesRequest::default()
                .with_path_prefix("/e2e/")
                .with_max_items(2),
        )
        .collect()
        .await
        .expect("ListRoles pages");
    assert_eq!(pages.len(), 3, "5 roles, 2 a page");
    assert_eq!(pages[0].is_truncated, Some(true));
    assert!(
        pages[0].marker.is_some(),
        "the first page hands a marker over"
    );
    let mut roles: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.roles.unwrap_or_default())
        .filter_map(|role| role.role_name)
        .collect();
    roles.sort();
    assert_eq!(
        roles,
        [
            "e2e-role-0",
            "e2e-role-1",
            "e2e-role-2",
            "e2e-role-3",
            "e2e-role-4"
        ]
    );

    client
        .tag_user(
            TagUserRequest::default()
                .with_user_name("e2e-0")
                .with_tags(vec![
                    Tag::default().with_key("team").with_value("a & b"),
                    Tag::default().with_key("cost-centre").with_value("42"),
                ]),
        )
        .await
        .expect("TagUser");
    let tags = client
        .list_user_tags(ListUserTagsRequest::default().with_user_name("e2e-0"))
        .await
        .expect("ListUserTags")
        .tags
        .unwrap_or_default();
    let mut tags: Vec<(String, String)> = tags
        .into_iter()
        .map(|tag| (tag.key.unwrap_or_default(), tag.value.unwrap_or_default()))
        .collect();
    tags.sort();
    assert_eq!(
        tags,
        [
            ("cost-centre".to_owned(), "42".to_owned()),
            ("team".to_owned(), "a & b".to_owned())
        ]
    );

    // A policy document comes back as its JSON text (IAM sends it percent-encoded; botocore
    // decodes it), whatever characters it holds.
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a b+c%d/*"}]}"#;
    client
        .put_user_policy(
            iam::types::PutUserPolicyRequest::default()
                .with_user_name("e2e-0")
                .with_policy_name("read")
                .with_policy_document(policy),
        )
        .await
        .expect("PutUserPolicy");
    let got = client
        .get_user_policy(
            iam::types::GetUserPolicyRequest::default()
                .with_user_name("e2e-0")
                .with_policy_name("read"),
        )
        .await
        .expect("GetUserPolicy");
    let document: serde_json::Value =
        serde_json::from_str(got.policy_document.as_deref().unwrap_or_default())
            .expect("the policy document is JSON text");
    assert_eq!(
        document,
        serde_json::from_str::<serde_json::Value>(policy).unwrap()
    );
    client
        .delete_user_policy(
            iam::types::DeleteUserPolicyRequest::default()
                .with_user_name("e2e-0")
                .with_policy_name("read"),
        )
        .await
        .expect("DeleteUserPolicy");

    for index in 0..5 {
        client
            .delete_user(DeleteUserRequest::default().with_user_name(format!("e2e-{index}")))
            .await
            .expect("DeleteUser");
    }
    let missing = client
        .get_user(GetUserRequest::default().with_user_name("e2e-0"))
        .await
        .expect_err("the user is gone");
    let Error::Service { error, meta } = &missing else {
        panic!("expected a service error, got {missing:?}");
    };
    assert!(
        matches!(error, GetUserError::NoSuchEntityException(_)),
        "{error:?}"
    );
    assert_eq!(meta.status, 404);
    assert_eq!(
        meta.code, "NoSuchEntity",
        "the modeled code, not the shape name"
    );
    assert!(
        error.to_string().contains("e2e-0"),
        "the message names the user: {error}"
    );
}

/// Answers each request with the next scripted body, keeping the request bodies.
#[derive(Debug, Clone, Default)]
struct Scripted {
    bodies: std::sync::Arc<std::sync::Mutex<Vec<&'static str>>>,
    requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl botocore_runtime::http::Transport for Scripted {
    fn send(
        &self,
        request: botocore_runtime::http::HttpRequest,
    ) -> botocore_runtime::http::BoxFuture<
        '_,
        Result<botocore_runtime::http::HttpResponse, botocore_runtime::http::TransportError>,
    > {
        self.requests
            .lock()
            .unwrap()
            .push(String::from_utf8_lossy(&request.body).into_owned());
        let body = self.bodies.lock().unwrap().remove(0);
        Box::pin(async move { Ok(botocore_runtime::http::HttpResponse::new(200, body)) })
    }
}

/// IAM sends policy documents percent-encoded; they read as their JSON text, as botocore
/// decodes them, and text that does not decode to JSON stays as it came.
#[tokio::test(flavor = "current_thread")]
async fn iam_policy_documents_read_as_json_text() {
    let transport = Scripted::default();
    let response = |document: &str| -> &'static str {
        Box::leak(
            format!(
                "<GetUserPolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
                 <GetUserPolicyResult><UserName>u</UserName><PolicyName>p</PolicyName>\
                 <PolicyDocument>{document}</PolicyDocument></GetUserPolicyResult>\
                 </GetUserPolicyResponse>"
            )
            .into_boxed_str(),
        )
    };
    transport.bodies.lock().unwrap().extend([
        response("%7B%22Version%22%3A%222012-10-17%22%2C%22Id%22%3A%22a%20b%2Bc%22%7D"),
        response("100%25 not%20JSON"),
    ]);
    let config = Config::new()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .transport(transport.clone());
    let client = iam::Client::new(&config).expect("client");
    let get = || {
        client.get_user_policy(
            iam::types::GetUserPolicyRequest::default()
                .with_user_name("u")
                .with_policy_name("p"),
        )
    };
    let json = get().await.expect("GetUserPolicy");
    assert_eq!(
        json.policy_document.as_deref(),
        Some(r#"{"Version":"2012-10-17","Id":"a b+c"}"#)
    );
    let text = get().await.expect("GetUserPolicy");
    assert_eq!(text.policy_document.as_deref(), Some("100%25 not%20JSON"));
}

/// EC2 gives a console's text base64-encoded; it reads decoded, as botocore's
/// `decode_console_output` hands it over (bytes that are not UTF-8 as U+FFFD).
#[tokio::test(flavor = "current_thread")]
async fn ec2_console_output_reads_decoded() {
    let transport = Scripted::default();
    // "Linux version 6.1\nlogin: \xff" in base64, with the line break EC2 may put in it.
    transport.bodies.lock().unwrap().push(
        "<GetConsoleOutputResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
         <requestId>r</requestId><instanceId>i-1</instanceId>\
         <timestamp>2024-01-02T03:04:05.000Z</timestamp>\
         <output>TGludXggdmVyc2lvbiA2LjEK\nbG9naW46IP8=</output></GetConsoleOutputResponse>",
    );
    let config = Config::new()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .transport(transport.clone());
    let client = ec2::Client::new(&config).expect("client");
    let console = client
        .get_console_output(ec2::types::GetConsoleOutputRequest::default().with_instance_id("i-1"))
        .await
        .expect("GetConsoleOutput");
    assert_eq!(console.instance_id.as_deref(), Some("i-1"));
    assert_eq!(
        console.output.as_deref(),
        Some("Linux version 6.1\nlogin: \u{fffd}")
    );
}

/// The form pairs of a body (or a query string), decoded.
fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(&text.replace('+', " "))
                    .decode_utf8()
                    .expect("UTF-8")
                    .into_owned()
            };
            (decode(key), decode(value))
        })
        .collect()
}

/// EC2's CopySnapshot goes with a presigned URL of itself in the source region, as botocore's
/// `inject_presigned_url_ec2` adds it (the URL botocore gives at a fixed clock is compared in
/// the runtime's signing tests), and with `DestinationRegion`; a URL the caller gives stays.
#[tokio::test(flavor = "current_thread")]
async fn ec2_copy_snapshot_carries_the_source_region_s_presigned_url() {
    const COPIED: &str = "<CopySnapshotResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
                          <snapshotId>snap-copy</snapshotId></CopySnapshotResponse>";
    let transport = Scripted::default();
    transport.bodies.lock().unwrap().extend([COPIED, COPIED]);
    let config = Config::new()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .transport(transport.clone());
    let client = ec2::Client::new(&config).expect("client");
    let copy = || {
        ec2::types::CopySnapshotRequest::default()
            .with_source_region("us-east-1")
            .with_source_snapshot_id("snap-123")
            .with_description("a b+c")
    };
    let copied = client.copy_snapshot(copy()).await.expect("CopySnapshot");
    assert_eq!(copied.snapshot_id.as_deref(), Some("snap-copy"));
    client
        .copy_snapshot(copy().with_presigned_url("https://given.example/"))
        .await
        .expect("CopySnapshot with a URL");

    let requests = transport.requests.lock().unwrap();
    let sent = form_pairs(&requests[0]);
    let value = |pairs: &[(String, String)], key: &str| {
        pairs
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.clone())
    };
    assert_eq!(
        value(&sent, "DestinationRegion").as_deref(),
        Some("us-west-2")
    );
    assert_eq!(value(&sent, "SourceRegion").as_deref(), Some("us-east-1"));
    let url = value(&sent, "PresignedUrl").expect("a presigned URL");
    let (address, query) = url.split_once('?').expect("a query string");
    assert_eq!(
        address, "https://ec2.us-east-1.amazonaws.com/",
        "the source region's endpoint"
    );
    let signed = form_pairs(query);
    for (key, expected) in [
        ("Action", "CopySnapshot"),
        ("SourceRegion", "us-east-1"),
        ("SourceSnapshotId", "snap-123"),
        ("Description", "a b+c"),
        ("DestinationRegion", "us-west-2"),
        ("X-Amz-Expires", "3600"),
        ("X-Amz-SignedHeaders", "host"),
    ] {
        assert_eq!(
            value(&signed, key).as_deref(),
            Some(expected),
            "{key} in {url}"
        );
    }
    let credential = value(&signed, "X-Amz-Credential").expect("a credential");
    assert!(
        credential.ends_with("/us-east-1/ec2/aws4_request"),
        "{credential}"
    );
    assert_eq!(value(&signed, "PresignedUrl"), None);
    assert_eq!(
        value(&form_pairs(&requests[1]), "PresignedUrl").as_deref(),
        Some("https://given.example/")
    );
}

/// RDS's CopyDBSnapshot goes with a presigned URL of itself in the source region, as botocore's
/// `inject_presigned_url_rds` adds it: the URL carries `DestinationRegion`, and `SourceRegion`,
/// a member only botocore's `sdk-extras` add, is sent in neither; a URL the caller gives stays.
/// The client's `generate_db_auth_token` signs for `rds-db` in the client's region or the one
/// given (the token botocore makes at a fixed clock is compared in the runtime's tests).
#[tokio::test(flavor = "current_thread")]
async fn rds_copies_carry_the_source_region_s_url_and_tokens_are_signed() {
    const COPIED: &str = "<CopyDBSnapshotResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">\
                          <CopyDBSnapshotResult><DBSnapshot><DBSnapshotIdentifier>copy\
                          </DBSnapshotIdentifier></DBSnapshot></CopyDBSnapshotResult>\
                          <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\
                          </CopyDBSnapshotResponse>";
    let transport = Scripted::default();
    transport.bodies.lock().unwrap().extend([COPIED, COPIED]);
    let config = Config::new()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .transport(transport.clone());
    let client = rds::Client::new(&config).expect("client");
    let copy = || {
        rds::types::CopyDbSnapshotMessage::default()
            .with_source_region("us-east-1")
            .with_source_db_snapshot_identifier("arn:aws:rds:us-east-1:123456789012:snapshot:snap")
            .with_target_db_snapshot_identifier("copy")
    };
    let copied = client
        .copy_db_snapshot(copy())
        .await
        .expect("CopyDBSnapshot");
    assert_eq!(
        copied
            .db_snapshot
            .and_then(|snapshot| snapshot.db_snapshot_identifier)
            .as_deref(),
        Some("copy")
    );
    client
        .copy_db_snapshot(copy().with_pre_signed_url("https://given.example/"))
        .await
        .expect("CopyDBSnapshot with a URL");

    let requests = transport.requests.lock().unwrap().clone();
    let value = |pairs: &[(String, String)], key: &str| {
        pairs
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.clone())
    };
    let sent = form_pairs(&requests[0]);
    assert_eq!(value(&sent, "SourceRegion"), None);
    assert_eq!(value(&sent, "DestinationRegion"), None);
    let url = value(&sent, "PreSignedUrl").expect("a presigned URL");
    let (address, query) = url.split_once('?').expect("a query string");
    assert_eq!(address, "https://rds.us-east-1.amazonaws.com/");
    let signed = form_pairs(query);
    for (key, expected) in [
        ("Action", "CopyDBSnapshot"),
        (
            "SourceDBSnapshotIdentifier",
            "arn:aws:rds:us-east-1:123456789012:snapshot:snap",
        ),
        ("TargetDBSnapshotIdentifier", "copy"),
        ("DestinationRegion", "us-west-2"),
        ("X-Amz-Expires", "3600"),
    ] {
        assert_eq!(
            value(&signed, key).as_deref(),
            Some(expected),
            "{key} in {url}"
        );
    }
    assert_eq!(value(&signed, "SourceRegion"), None);
    let credential = value(&signed, "X-Amz-Credential").expect("a credential");
    assert!(
        credential.ends_with("/us-east-1/rds/aws4_request"),
        "{credential}"
    );
    let second = form_pairs(&requests[1]);
    assert_eq!(
        value(&second, "PreSignedUrl").as_deref(),
        Some("https://given.example/")
    );
    assert_eq!(value(&second, "SourceRegion"), None);

    for (region, expected) in [(None, "us-west-2"), (Some("eu-west-1"), "eu-west-1")] {
        let token = client
            .generate_db_auth_token("db.example.com", 5432, "jane doe", region)
            .await
            .expect("a token");
        let (address, query) = token.split_once("/?").expect("a query string");
        assert_eq!(address, "db.example.com:5432", "no scheme: {token}");
        let signed = form_pairs(query);
        assert_eq!(value(&signed, "Action").as_deref(), Some("connect"));
        assert_eq!(value(&signed, "DBUser").as_deref(), Some("jane doe"));
        assert_eq!(value(&signed, "X-Amz-Expires").as_deref(), Some("900"));
        let credential = value(&signed, "X-Amz-Credential").expect("a credential");
        assert!(
            credential.ends_with(&format!("/{expected}/rds-db/aws4_request")),
            "{credential}"
        );
    }
    assert_eq!(
        transport.requests.lock().unwrap().len(),
        2,
        "a token is made without a call"
    );
}

/// IAM's paginator hands `Marker` over while `IsTruncated` is true, as AWS pages ListUsers.
#[tokio::test(flavor = "current_thread")]
async fn iam_list_users_pages_follow_the_marker() {
    use iam::types::ListUsersRequest;
    let page = |users: &[&str], marker: Option<&str>| -> &'static str {
        let users: String = users
            .iter()
            .map(|name| format!("<member><UserName>{name}</UserName><Path>/</Path></member>"))
            .collect();
        let tail = match marker {
            Some(marker) => format!("<IsTruncated>true</IsTruncated><Marker>{marker}</Marker>"),
            None => "<IsTruncated>false</IsTruncated>".to_owned(),
        };
        Box::leak(
            format!(
                "<ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
                 <ListUsersResult><Users>{users}</Users>{tail}</ListUsersResult>\
                 <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUsersResponse>"
            )
            .into_boxed_str(),
        )
    };
    let transport = Scripted::default();
    transport.bodies.lock().unwrap().extend([
        page(&["a", "b"], Some("m1")),
        page(&["c", "d"], Some("m2")),
        page(&["e"], None),
    ]);
    let client = iam::Client::new(
        &Config::new()
            .region("us-east-1")
            .endpoint_url("http://iam.test")
            .credentials(Credentials::new("testing", "testing", None))
            .transport(transport.clone()),
    )
    .expect("client");
    let names: Vec<String> = client
        .list_users_pages(ListUsersRequest::default().with_max_items(2))
        .items()
        .collect()
        .await
        .expect("ListUsers pages")
        .into_iter()
        .filter_map(|user| user.user_name)
        .collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    let requests = transport.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[0],
        "Action=ListUsers&Version=2010-05-08&MaxItems=2"
    );
    assert_eq!(
        requests[1],
        "Action=ListUsers&Version=2010-05-08&Marker=m1&MaxItems=2"
    );
    assert_eq!(
        requests[2],
        "Action=ListUsers&Version=2010-05-08&Marker=m2&MaxItems=2"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn sts_caller_identity_and_assume_role() {
    use sts::types::{AssumeRoleRequest, GetCallerIdentityRequest};
    let moto = tests::python::Moto::start();
    let client = sts::Client::new(&config(&moto)).expect("client");

    let identity = client
        .get_caller_identity(GetCallerIdentityRequest::default())
        .await
        .expect("GetCallerIdentity");
    assert_eq!(identity.account.as_deref(), Some("123456789012"));
    assert!(identity.arn.is_some_and(|arn| arn.starts_with("arn:aws:")));

    let assumed = client
        .assume_role(
            AssumeRoleRequest::default()
                .with_role_arn("arn:aws:iam::123456789012:role/e2e")
                .with_role_session_name("e2e-session")
                .with_duration_seconds(900),
        )
        .await
        .expect("AssumeRole");
    let credentials = assumed.credentials.expect("credentials");
    assert!(credentials.access_key_id.is_some_and(|key| !key.is_empty()));
    assert!(credentials.expiration.is_some(), "the expiry decodes");
    let user = assumed.assumed_role_user.expect("the assumed role user");
    assert!(
        user.arn
            .is_some_and(|arn| arn.ends_with(":assumed-role/e2e/e2e-session")),
    );
}

/// A presigned URL's parameters: the operation's, sorted (their order is not signed), and the
/// signature's, which all follow them.
fn presigned_parameters(uri: &str) -> (Vec<&str>, Vec<&str>) {
    let (_, query) = uri.split_once('?').expect("a query string");
    let pairs: Vec<&str> = query.split('&').collect();
    let signing_at = pairs
        .iter()
        .position(|pair| pair.starts_with("X-Amz-"))
        .expect("signed");
    let (operation, signing) = pairs.split_at(signing_at);
    assert!(
        signing.iter().all(|pair| pair.starts_with("X-Amz-")),
        "the operation's parameters come first: {query}"
    );
    let mut operation = operation.to_vec();
    operation.sort_unstable();
    (operation, signing.to_vec())
}

/// Presigned query and ec2 requests carry their form's parameters in the URL, signed, and sign
/// only `host` beside them, as botocore's `generate_presigned_url` makes them (the method
/// stays POST, as there). moto cannot answer such a URL: its server routes a request with no
/// `Authorization` header by its body alone, and sends this one to S3; the signature itself is
/// checked against botocore's in the runtime's unit tests.
#[tokio::test(flavor = "current_thread")]
async fn presigned_query_and_ec2_requests_carry_their_parameters() {
    use ec2::types::{DescribeVpcsRequest, Filter};
    use sts::types::GetCallerIdentityRequest;
    let config = Config::new()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None));
    let expires = std::time::Duration::from_secs(60);

    let sts = sts::Client::new(&config).expect("client");
    let presigned = sts
        .presign::<sts::operations::GetCallerIdentity>(GetCallerIdentityRequest::default(), expires)
        .await
        .expect("presign GetCallerIdentity");
    assert!(
        presigned
            .uri
            .starts_with("https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm="),
        "{}",
        presigned.uri
    );
    let (_, signing) = presigned_parameters(&presigned.uri);
    assert!(signing.contains(&"X-Amz-SignedHeaders=host"), "{signing:?}");
    assert!(signing.contains(&"X-Amz-Expires=60"), "{signing:?}");
    assert!(presigned.headers.is_empty(), "{:?}", presigned.headers);
    assert_eq!(presigned.method, botocore_runtime::http::Method::POST);

    // What botocore gives for the same input (its parameters in the order it was given them).
    let ec2 = ec2::Client::new(&config).expect("client");
    let presigned = ec2
        .presign::<ec2::operations::DescribeVpcs>(
            DescribeVpcsRequest::default()
                .with_vpc_ids(vec!["vpc-1".to_owned(), "vpc-2".to_owned()])
                .with_filters(vec![
                    Filter::default()
                        .with_name("tag:a b")
                        .with_values(vec!["x/y".to_owned()]),
                ]),
            expires,
        )
        .await
        .expect("presign DescribeVpcs");
    let (operation, signing) = presigned_parameters(&presigned.uri);
    assert_eq!(
        operation,
        [
            "Action=DescribeVpcs",
            "Filter.1.Name=tag%3Aa%20b",
            "Filter.1.Value.1=x%2Fy",
            "Version=2016-11-15",
            "VpcId.1=vpc-1",
            "VpcId.2=vpc-2",
        ]
    );
    assert!(signing.contains(&"X-Amz-SignedHeaders=host"), "{signing:?}");
    assert!(presigned.headers.is_empty(), "{:?}", presigned.headers);
}

#[tokio::test(flavor = "current_thread")]
async fn ec2_vpcs_subnets_filters_pages_and_unmodeled_codes() {
    use ec2::operations::DeleteVpcError;
    use ec2::types::{
        CreateSubnetRequest, CreateTagsRequest, CreateVpcRequest, DeleteSubnetRequest,
        DeleteVpcRequest, DescribeSubnetsRequest, DescribeVpcsRequest, Filter, Tag,
    };
    let moto = tests::python::Moto::start();
    let client = ec2::Client::new(&config(&moto)).expect("client");

    let vpc = client
        .create_vpc(CreateVpcRequest::default().with_cidr_block("10.20.0.0/16"))
        .await
        .expect("CreateVpc")
        .vpc
        .expect("the VPC");
    let vpc_id = vpc.vpc_id.expect("a VPC id");
    assert_eq!(vpc.cidr_block.as_deref(), Some("10.20.0.0/16"));

    client
        .create_tags(
            CreateTagsRequest::default()
                .with_resources(vec![vpc_id.clone()])
                .with_tags(vec![Tag::default().with_key("Name").with_value("e2e vpc")]),
        )
        .await
        .expect("CreateTags");
    let found = client
        .describe_vpcs(DescribeVpcsRequest::default().with_filters(vec![
            Filter::default()
                .with_name("tag:Name")
                .with_values(vec!["e2e vpc".to_owned()]),
        ]))
        .await
        .expect("DescribeVpcs")
        .vpcs
        .unwrap_or_default();
    assert_eq!(found.len(), 1, "the filter finds the tagged VPC only");
    assert_eq!(found[0].vpc_id.as_deref(), Some(vpc_id.as_str()));
    let tags = found[0].tags.clone().unwrap_or_default();
    assert!(
        tags.iter().any(
            |tag| tag.key.as_deref() == Some("Name") && tag.value.as_deref() == Some("e2e vpc")
        ),
        "{tags:?}"
    );

    let mut subnet_ids = Vec::new();
    for index in 0..5 {
        let subnet = client
            .create_subnet(
                CreateSubnetRequest::default()
                    .with_vpc_id(vpc_id.clone())
                    .with_cidr_block(format!("10.20.{index}.0/24")),
            )
            .await
            .expect("CreateSubnet")
            .subnet
            .expect("the subnet");
        subnet_ids.push(subnet.subnet_id.expect("a subnet id"));
    }
    let pages = client
        .describe_subnets_pages(
            DescribeSubnetsRequest::default()
                .with_filters(vec![
                    Filter::default()
                        .with_name("vpc-id")
                        .with_values(vec![vpc_id.clone()]),
                ])
                .with_max_results(5),
        )
        .collect()
        .await
        .expect("DescribeSubnets pages");
    let mut listed: Vec<String> = pages
        .iter()
        .flat_map(|page| page.subnets.clone().unwrap_or_default())
        .filter_map(|subnet| subnet.subnet_id)
        .collect();
    listed.sort();
    subnet_ids.sort();
    assert_eq!(listed, subnet_ids);

    for subnet in &subnet_ids {
        client
            .delete_subnet(DeleteSubnetRequest::default().with_subnet_id(subnet.clone()))
            .await
            .expect("DeleteSubnet");
    }
    client
        .delete_vpc(DeleteVpcRequest::default().with_vpc_id(vpc_id.clone()))
        .await
        .expect("DeleteVpc");
    let missing = client
        .delete_vpc(DeleteVpcRequest::default().with_vpc_id(vpc_id))
        .await
        .expect_err("the VPC is gone");
    let Error::Service { error, meta } = &missing else {
        panic!("expected a service error, got {missing:?}");
    };
    assert!(matches!(error, DeleteVpcError::Unmodeled(_)), "{error:?}");
    assert_eq!(meta.code, "InvalidVpcID.NotFound");
    assert_eq!(meta.status, 400);
}

/// SimpleDB, the query protocol signed with Signature Version 2 (`signatureVersion: v2`):
/// domains made, listed and deleted, attributes put and read back, and a missing domain the
/// typed `NoSuchDomain`. Every request carries the SigV2 parameters in its form body, and no
/// SigV4 `Authorization` (moto does not check signatures; the signature itself is compared
/// with botocore's in the runtime's `sign` tests).
#[tokio::test(flavor = "current_thread")]
async fn simpledb_speaks_query_signed_with_sigv2() {
    use sdb::operations::GetAttributesError;
    use sdb::types::{
        CreateDomainRequest, DeleteDomainRequest, GetAttributesRequest, ListDomainsRequest,
        PutAttributesRequest, ReplaceableAttribute,
    };
    let moto = tests::python::Moto::start();
    let recorder = Forwarding::default();
    let client = sdb::Client::new(&config(&moto).transport(recorder.clone())).expect("client");
    for name in ["e2e-one", "e2e-two"] {
        client
            .create_domain(CreateDomainRequest::default().with_domain_name(name))
            .await
            .expect("CreateDomain");
    }
    let domains = async || {
        let listed = client
            .list_domains(ListDomainsRequest::default())
            .await
            .expect("ListDomains");
        let mut names = listed.domain_names.unwrap_or_default();
        names.sort();
        names
    };
    assert_eq!(domains().await, ["e2e-one", "e2e-two"]);

    let attribute = |name: &str, value: &str| {
        ReplaceableAttribute::default()
            .with_name(name)
            .with_value(value)
    };
    client
        .put_attributes(
            PutAttributesRequest::default()
                .with_domain_name("e2e-one")
                .with_item_name("item 1")
                .with_attributes(vec![
                    attribute("colour", "blue & green"),
                    attribute("size", "é/10"),
                ]),
        )
        .await
        .expect("PutAttributes");
    let got = client
        .get_attributes(
            GetAttributesRequest::default()
                .with_domain_name("e2e-one")
                .with_item_name("item 1"),
        )
        .await
        .expect("GetAttributes");
    let mut pairs: Vec<(String, String)> = got
        .attributes
        .unwrap_or_default()
        .into_iter()
        .map(|attribute| {
            (
                attribute.name.unwrap_or_default(),
                attribute.value.unwrap_or_default(),
            )
        })
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("colour".to_owned(), "blue & green".to_owned()),
            ("size".to_owned(), "é/10".to_owned())
        ]
    );

    let error = client
        .get_attributes(
            GetAttributesRequest::default()
                .with_domain_name("e2e-missing")
                .with_item_name("item"),
        )
        .await
        .expect_err("no such domain");
    match &error {
        Error::Service { error, .. } => {
            assert!(
                matches!(error, GetAttributesError::NoSuchDomain(_)),
                "{error:?}"
            );
        }
        other => panic!("expected NoSuchDomain, got {other}"),
    }
    for name in ["e2e-one", "e2e-two"] {
        client
            .delete_domain(DeleteDomainRequest::default().with_domain_name(name))
            .await
            .expect("DeleteDomain");
    }
    assert!(domains().await.is_empty());

    let sent = recorder.sent.lock().unwrap();
    assert_eq!(sent.len(), 9);
    for request in sent.iter() {
        let body = String::from_utf8_lossy(&request.body);
        for parameter in [
            "&AWSAccessKeyId=testing&SignatureVersion=2&SignatureMethod=HmacSHA256&Timestamp=",
            "&Signature=",
        ] {
            assert!(body.contains(parameter), "{parameter} in {body}");
        }
        assert!(request.headers.get("authorization").is_none());
        assert!(request.headers.get("x-amz-date").is_none());
        // moto finds the service of a request without SigV4 by its body's `Version`, and the
        // region by the last word of its user agent.
        let agent = request.headers["user-agent"].to_str().unwrap();
        assert!(agent.contains(" api/simpledb#"), "{agent}");
    }
}

/// Sends through the default transport, keeping a copy of every request.
#[derive(Clone)]
struct Forwarding {
    inner: Arc<botocore_runtime::http::ReqwestTransport>,
    sent: Arc<Mutex<Vec<botocore_runtime::http::HttpRequest>>>,
}

impl Default for Forwarding {
    fn default() -> Self {
        let inner = botocore_runtime::http::ReqwestTransport::new(Default::default())
            .expect("the default transport");
        Forwarding {
            inner: Arc::new(inner),
            sent: Arc::default(),
        }
    }
}

impl botocore_runtime::http::Transport for Forwarding {
    fn send(
        &self,
        request: botocore_runtime::http::HttpRequest,
    ) -> botocore_runtime::http::BoxFuture<
        '_,
        Result<botocore_runtime::http::HttpResponse, botocore_runtime::http::TransportError>,
    > {
        self.sent.lock().unwrap().push(request.clone());
        self.inner.send(request)
    }
}
