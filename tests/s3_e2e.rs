//! S3 (rest-xml) against a real server, `moto` on 127.0.0.1 (addressed by path, as an endpoint
//! set in code is), and S3's customizations against a recording transport: virtual-hosted
//! addressing on AWS endpoints, `x-amz-content-sha256` and flexible checksums on requests,
//! `GetBucketLocation`'s bare answer, a 200 whose body is an error, redirects to a bucket's
//! region.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use botocore_runtime::Config;
use botocore_runtime::credentials::Credentials;
use botocore_runtime::error::Error;
use botocore_runtime::http::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use botocore_runtime::retry::RetryConfig;
use s3::types::{
    BucketLocationConstraint, CompleteMultipartUploadRequest, CompletedMultipartUpload,
    CompletedPart, CopyObjectRequest, CreateBucketConfiguration, CreateBucketRequest,
    CreateMultipartUploadRequest, Delete, DeleteObjectsRequest, GetBucketLocationRequest,
    GetObjectRequest, HeadObjectRequest, ListObjectsV2Request, ObjectIdentifier, PutObjectRequest,
    UploadPartRequest,
};

fn config(moto: &tests::python::Moto) -> Config {
    Config::new()
        .region("eu-west-1")
        .endpoint_url(&moto.endpoint)
        .credentials(Credentials::new("testing", "testing", None))
}

/// Keys with spaces, `+`, `%`, non-ASCII letters, slashes, and characters reserved in URLs.
fn awkward_keys() -> Vec<String> {
    let stems = [
        "plain",
        "with space",
        "plus+sign",
        "per%cent",
        "ünïcödé",
        "日本語",
        "dir/sub dir/file",
        "a?b=c&d",
        "hash#tag",
        "tilde~and'quote",
        "semi;colon:",
        "emoji😀",
    ];
    (0..25)
        .map(|index| format!("{}-{index:02}", stems[index % stems.len()]))
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn s3_objects_pages_copies_multipart_and_typed_errors() {
    let moto = tests::python::Moto::start();
    let client = s3::Client::new(&config(&moto)).expect("client");
    let bucket = "e2e-bucket";

    client
        .create_bucket(
            CreateBucketRequest::default()
                .with_bucket(bucket)
                .with_create_bucket_configuration(
                    CreateBucketConfiguration::default()
                        .with_location_constraint(BucketLocationConstraint::EuWest1),
                ),
        )
        .await
        .expect("CreateBucket");
    let location = client
        .get_bucket_location(GetBucketLocationRequest::default().with_bucket(bucket))
        .await
        .expect("GetBucketLocation");
    assert_eq!(
        location.location_constraint,
        Some(BucketLocationConstraint::EuWest1),
        "the bare <LocationConstraint> is read"
    );

    // Objects whose keys need every kind of escaping, written and read back.
    let keys = awkward_keys();
    for key in &keys {
        client
            .put_object(
                PutObjectRequest::default()
                    .with_bucket(bucket)
                    .with_key(key.as_str())
                    .with_body(format!("body of {key}").into_bytes()),
            )
            .await
            .unwrap_or_else(|error| panic!("PutObject {key:?}: {error}"));
    }
    for key in [&keys[1], &keys[3], &keys[5], &keys[7]] {
        let object = client
            .get_object(
                GetObjectRequest::default()
                    .with_bucket(bucket)
                    .with_key(key.as_str()),
            )
            .await
            .unwrap_or_else(|error| panic!("GetObject {key:?}: {error}"));
        let body = object.body.expect("a body").collect().await.expect("read");
        assert_eq!(body, format!("body of {key}").as_bytes());
    }
    let head = client
        .head_object(
            HeadObjectRequest::default()
                .with_bucket(bucket)
                .with_key(keys[4].as_str()),
        )
        .await
        .expect("HeadObject");
    assert_eq!(
        head.content_length,
        Some(format!("body of {}", keys[4]).len() as i64)
    );
    assert!(head.e_tag.is_some() && head.last_modified.is_some());

    // Every key comes back once, across pages of 4.
    let pages = client
        .list_objects_v2_pages(
            ListObjectsV2Request::default()
                .with_bucket(bucket)
                .with_max_keys(4),
        )
        .collect()
        .await
        .expect("ListObjectsV2 pages");
    assert_eq!(pages.len(), 7, "25 keys, 4 a page");
    let mut listed: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.contents.unwrap_or_default())
        .filter_map(|object| object.key)
        .collect();
    let mut expected = keys.clone();
    expected.sort();
    listed.sort();
    assert_eq!(listed, expected);

    // The list asked for url-encoded keys (botocore's default) and decoded them, so a key with
    // a character XML cannot carry lists too; a caller who chooses the encoding gets the keys
    // as S3 encoded them.
    let control_key = "ctl/\u{1}bell\u{7} line\rbreak+%";
    client
        .put_object(
            PutObjectRequest::default()
                .with_bucket(bucket)
                .with_key(control_key)
                .with_body(b"x".to_vec()),
        )
        .await
        .expect("PutObject of a key with control characters");
    let list = |encoding: Option<s3::types::EncodingType>| {
        let mut request = ListObjectsV2Request::default()
            .with_bucket(bucket)
            .with_prefix("ctl/");
        request.encoding_type = encoding;
        client.list_objects_v2(request)
    };
    let decoded = list(None).await.expect("ListObjectsV2 of the control key");
    assert_eq!(decoded.encoding_type, Some(s3::types::EncodingType::Url));
    assert_eq!(decoded.prefix.as_deref(), Some("ctl/"));
    let keys_of = |output: s3::types::ListObjectsV2Output| -> Vec<String> {
        output
            .contents
            .unwrap_or_default()
            .into_iter()
            .filter_map(|object| object.key)
            .collect()
    };
    assert_eq!(keys_of(decoded), [control_key]);
    let chosen = list(Some(s3::types::EncodingType::Url))
        .await
        .expect("ListObjectsV2 with EncodingType=url chosen");
    assert_eq!(keys_of(chosen), ["ctl/%01bell%07%20line%0Dbreak%2B%25"]);
    client
        .delete_object(
            s3::types::DeleteObjectRequest::default()
                .with_bucket(bucket)
                .with_key(control_key),
        )
        .await
        .expect("DeleteObject of the control key");
    // DeleteObjects names its keys in XML, where a raw CR would reach S3 as LF and name another
    // key (XML 1.0 has no place for the other control characters at all): it goes as a
    // character reference, and the object is gone.
    let cr_key = "ctl/line\rbreak";
    client
        .put_object(
            PutObjectRequest::default()
                .with_bucket(bucket)
                .with_key(cr_key)
                .with_body(b"x".to_vec()),
        )
        .await
        .expect("PutObject of a key with a CR");
    let deleted = client
        .delete_objects(
            DeleteObjectsRequest::default()
                .with_bucket(bucket)
                .with_delete(
                    Delete::default()
                        .with_objects(vec![ObjectIdentifier::default().with_key(cr_key)]),
                ),
        )
        .await
        .expect("DeleteObjects of the key with a CR");
    assert!(deleted.errors.unwrap_or_default().is_empty());
    let left = list(None).await.expect("ListObjectsV2 after the deletes");
    assert_eq!(keys_of(left), Vec::<String>::new(), "both objects are gone");

    // CopyObject, whose source is `bucket/key` as the caller writes it: the client
    // percent-encodes it, as botocore does, so keys with `%`, spaces, `+` and letters beyond
    // ASCII name their object (and a key that looks percent-encoded is not decoded).
    let source_key = "src/a%20b c+d~\u{e9}\u{fc}\u{65e5}.txt";
    client
        .put_object(
            PutObjectRequest::default()
                .with_bucket(bucket)
                .with_key(source_key)
                .with_body(b"the source's bytes".to_vec()),
        )
        .await
        .expect("PutObject of the source");
    for (source, copy_key) in [
        (keys[2].as_str(), "copies/copy of plus+sign"),
        (keys[3].as_str(), "copies/copy of per%cent"),
        (source_key, "copies/a%20b c+d~\u{e9}"),
    ] {
        let copied = client
            .copy_object(
                CopyObjectRequest::default()
                    .with_bucket(bucket)
                    .with_key(copy_key)
                    .with_copy_source(format!("{bucket}/{source}")),
            )
            .await
            .unwrap_or_else(|error| panic!("CopyObject {source:?}: {error}"));
        assert!(
            copied
                .copy_object_result
                .is_some_and(|result| result.e_tag.is_some())
        );
        let original = client
            .get_object(
                GetObjectRequest::default()
                    .with_bucket(bucket)
                    .with_key(source),
            )
            .await
            .expect("GetObject of the source");
        let original = original
            .body
            .expect("a body")
            .collect()
            .await
            .expect("read");
        let copy = client
            .get_object(
                GetObjectRequest::default()
                    .with_bucket(bucket)
                    .with_key(copy_key),
            )
            .await
            .unwrap_or_else(|error| panic!("GetObject of the copy {copy_key:?}: {error}"));
        let body = copy.body.expect("a body").collect().await.expect("read");
        assert_eq!(body, original, "{source:?}");
    }

    // A multipart upload of two parts (every part but the last at least 5 MiB).
    let key = "multi/part object";
    let upload = client
        .create_multipart_upload(
            CreateMultipartUploadRequest::default()
                .with_bucket(bucket)
                .with_key(key),
        )
        .await
        .expect("CreateMultipartUpload");
    let upload_id = upload.upload_id.expect("an upload id");
    let parts: [Vec<u8>; 2] = [vec![b'a'; 5 * 1024 * 1024], b"the tail".to_vec()];
    let mut completed = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let number = index as i32 + 1;
        let uploaded = client
            .upload_part(
                UploadPartRequest::default()
                    .with_bucket(bucket)
                    .with_key(key)
                    .with_upload_id(upload_id.as_str())
                    .with_part_number(number)
                    .with_body(part.clone()),
            )
            .await
            .expect("UploadPart");
        completed.push(
            CompletedPart::default()
                .with_part_number(number)
                .with_e_tag(uploaded.e_tag.expect("a part ETag")),
        );
    }
    client
        .complete_multipart_upload(
            CompleteMultipartUploadRequest::default()
                .with_bucket(bucket)
                .with_key(key)
                .with_upload_id(upload_id)
                .with_multipart_upload(CompletedMultipartUpload::default().with_parts(completed)),
        )
        .await
        .expect("CompleteMultipartUpload");
    let whole = client
        .get_object(
            GetObjectRequest::default()
                .with_bucket(bucket)
                .with_key(key),
        )
        .await
        .expect("GetObject of the multipart object");
    let body = whole.body.expect("a body").collect().await.expect("read");
    assert_eq!(body.len(), parts[0].len() + parts[1].len());
    assert!(body.ends_with(b"the tail"));

    // DeleteObjects (which requires a checksum: CRC32 by default) of half the keys.
    let doomed: Vec<ObjectIdentifier> = keys
        .iter()
        .step_by(2)
        .map(|key| ObjectIdentifier::default().with_key(key.as_str()))
        .collect();
    let deleted = client
        .delete_objects(
            DeleteObjectsRequest::default()
                .with_bucket(bucket)
                .with_delete(Delete::default().with_objects(doomed)),
        )
        .await
        .expect("DeleteObjects");
    assert_eq!(deleted.deleted.map(|deleted| deleted.len()), Some(13));
    assert!(deleted.errors.unwrap_or_default().is_empty());

    // A missing key is the typed NoSuchKey.
    let missing = client
        .get_object(
            GetObjectRequest::default()
                .with_bucket(bucket)
                .with_key(keys[0].as_str()),
        )
        .await
        .expect_err("the key was deleted");
    match missing {
        Error::Service {
            error: s3::operations::GetObjectError::NoSuchKey(_),
            meta,
        } => {
            assert_eq!(meta.status, 404);
            assert_eq!(meta.code, "NoSuchKey");
        }
        other => panic!("expected NoSuchKey, got {other:?}"),
    }

    // A presigned GET, fetched by a plain HTTP client with no credentials.
    let presigned = client
        .presign::<s3::operations::GetObject>(
            GetObjectRequest::default()
                .with_bucket(bucket)
                .with_key(keys[1].as_str()),
            Duration::from_secs(300),
        )
        .await
        .expect("presign");
    assert!(presigned.uri.contains("X-Amz-Signature="));
    assert!(presigned.uri.contains("X-Amz-Expires=300"));
    let fetched = plain_get(&presigned.uri).await;
    assert_eq!(fetched, format!("body of {}", keys[1]).into_bytes());

    // A presigned PUT signs no checksum of a body it has not seen (botocore adds none): only
    // `host` is signed, and whoever uses the URL sends any body.
    let presigned = client
        .presign::<s3::operations::PutObject>(
            PutObjectRequest::default()
                .with_bucket(bucket)
                .with_key("presigned/put"),
            Duration::from_secs(300),
        )
        .await
        .expect("presign PutObject");
    assert_eq!(presigned.method, botocore_runtime::http::Method::PUT);
    assert!(
        presigned.uri.contains("&X-Amz-SignedHeaders=host&"),
        "{}",
        presigned.uri
    );
    assert!(!presigned.uri.contains("checksum"), "{}", presigned.uri);
    assert!(presigned.headers.is_empty(), "{:?}", presigned.headers);
    let put = plain_send(&presigned, b"put through a presigned URL").await;
    assert_eq!(put.status, 200, "{:?}", String::from_utf8_lossy(&put.body));
    let object = client
        .get_object(
            GetObjectRequest::default()
                .with_bucket(bucket)
                .with_key("presigned/put"),
        )
        .await
        .expect("GetObject of the presigned PUT");
    let body = object.body.expect("a body").collect().await.expect("read");
    assert_eq!(body, b"put through a presigned URL".as_slice());

    // A checksum the caller computed goes alone: no CRC32 beside it. moto keeps a checksum
    // only when `x-amz-sdk-checksum-algorithm` names it, so it keeps none of this one; a
    // default CRC32 sent beside it (with that header) is what it would have kept.
    let content = b"checked by the caller";
    let sha256 = botocore_runtime::checksum::ChecksumAlgorithm::Sha256.checksum(content);
    client
        .put_object(
            PutObjectRequest::default()
                .with_bucket(bucket)
                .with_key("checked")
                .with_body(content.to_vec())
                .with_checksum_sha256(sha256.as_str()),
        )
        .await
        .expect("PutObject with ChecksumSHA256");
    let head = client
        .head_object(
            HeadObjectRequest::default()
                .with_bucket(bucket)
                .with_key("checked")
                .with_checksum_mode(s3::types::ChecksumMode::Enabled),
        )
        .await
        .expect("HeadObject with its checksum");
    assert_eq!(head.checksum_crc32, None, "no CRC32 was sent");
}

/// A presigned request sent as it was signed, with `body`, by a client that signs nothing.
async fn plain_send(
    presigned: &botocore_runtime::client::PresignedRequest,
    body: &'static [u8],
) -> HttpResponse {
    let transport =
        botocore_runtime::http::ReqwestTransport::new(Default::default()).expect("a transport");
    let request = HttpRequest {
        operation: "presigned",
        method: presigned.method.clone(),
        uri: presigned.uri.clone(),
        headers: presigned.headers.clone(),
        body: botocore_runtime::Bytes::from_static(body),
        body_stream: None,
        stream_checksum: None,
        upload_hashes: false,
    };
    transport.send(request).await.expect("an answer")
}

/// A GET over plain HTTP/1.1 on a fresh connection: no SDK, no signing, no redirects.
async fn plain_get(url: &str) -> Vec<u8> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (address, path) = rest.split_at(rest.find('/').expect("a path"));
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connects");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    assert!(head.starts_with("HTTP/1.1 200"), "presigned GET: {head}");
    let body = response[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(&body)
    } else {
        body
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").expect("size");
        let size = usize::from_str_radix(
            std::str::from_utf8(&body[..line_end]).expect("hex").trim(),
            16,
        )
        .expect("hex size");
        body = &body[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

/// Records every request and answers each with the next scripted response.
#[derive(Clone, Default)]
struct Recorder {
    requests: Arc<Mutex<Vec<HttpRequest>>>,
    responses: Arc<Mutex<Vec<HttpResponse>>>,
}

impl Transport for Recorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.requests.lock().unwrap().push(request);
        let mut responses = self.responses.lock().unwrap();
        let response = if responses.is_empty() {
            HttpResponse::new(200, "")
        } else {
            responses.remove(0)
        };
        Box::pin(async move { Ok(response) })
    }
}

/// The value of header `name` on the `index`th recorded request.
fn recorded_header(requests: &[HttpRequest], index: usize, name: &str) -> Option<String> {
    requests[index]
        .headers
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
}

fn aws_config(recorder: &Recorder) -> Config {
    Config::new()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .retry(RetryConfig::standard().with_max_attempts(1))
        .transport(recorder.clone())
}

#[tokio::test(flavor = "current_thread")]
async fn buckets_are_host_names_on_aws_endpoints_where_they_can_be() {
    let recorder = Recorder::default();
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    for bucket in ["my-bucket", "my.dotted.bucket", "Upper_Case"] {
        let _ = client
            .get_object(
                GetObjectRequest::default()
                    .with_bucket(bucket)
                    .with_key("dir/a b+c"),
            )
            .await;
    }
    let _ = client
        .list_objects_v2(ListObjectsV2Request::default().with_bucket("my-bucket"))
        .await;
    let path_style = s3::Client::new(&aws_config(&recorder).force_path_style(true)).unwrap();
    let _ = path_style
        .get_object(
            GetObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key("k"),
        )
        .await;
    let uris: Vec<String> = recorder
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|request| request.uri.clone())
        .collect();
    assert_eq!(
        uris,
        [
            "https://my-bucket.s3.us-west-2.amazonaws.com/dir/a%20b%2Bc",
            "https://s3.us-west-2.amazonaws.com/my.dotted.bucket/dir/a%20b%2Bc",
            "https://s3.us-west-2.amazonaws.com/Upper_Case/dir/a%20b%2Bc",
            "https://my-bucket.s3.us-west-2.amazonaws.com/?list-type=2&encoding-type=url",
            "https://s3.us-west-2.amazonaws.com/my-bucket/k",
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn requests_carry_the_payload_hash_and_required_checksums() {
    let recorder = Recorder::default();
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    let _ = client
        .put_object(
            PutObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key("k")
                .with_body(b"foo".to_vec()),
        )
        .await;
    let _ = client
        .delete_objects(
            DeleteObjectsRequest::default()
                .with_bucket("my-bucket")
                .with_delete(
                    Delete::default().with_objects(vec![ObjectIdentifier::default().with_key("k")]),
                ),
        )
        .await;
    let _ = client
        .put_object(
            PutObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key("k")
                .with_body(b"foo".to_vec())
                .with_checksum_algorithm(s3::types::ChecksumAlgorithm::Sha256),
        )
        .await;
    let requests = recorder.requests.lock().unwrap();
    let header = |index: usize, name: &str| recorded_header(&requests, index, name);
    // SHA-256 of "foo", hex, as S3 wants it signed and sent.
    assert_eq!(
        header(0, "x-amz-content-sha256").as_deref(),
        Some("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")
    );
    assert_eq!(
        header(0, "x-amz-checksum-crc32").as_deref(),
        Some("jHNlIQ==")
    );
    assert_eq!(
        header(0, "x-amz-sdk-checksum-algorithm").as_deref(),
        Some("CRC32")
    );
    assert!(
        header(1, "x-amz-checksum-crc32").is_some(),
        "DeleteObjects requires one"
    );
    assert!(header(1, "x-amz-content-sha256").is_some());
    assert_eq!(
        header(2, "x-amz-checksum-sha256").as_deref(),
        Some("LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=")
    );
    assert_eq!(
        header(2, "x-amz-sdk-checksum-algorithm").as_deref(),
        Some("SHA256")
    );
    assert!(header(2, "x-amz-checksum-crc32").is_none());
}

/// A checksum the caller gave goes alone, as botocore sends it (`has_checksum_header`): no
/// default CRC32 and no algorithm header beside it, even when this client could compute it
/// (CRC64NVME, computed when only chosen); an algorithm it does not compute (XXHASH64) is
/// refused before sending.
#[tokio::test(flavor = "current_thread")]
async fn a_checksum_the_caller_gave_goes_alone() {
    let recorder = Recorder::default();
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    let put = || {
        PutObjectRequest::default()
            .with_bucket("my-bucket")
            .with_key("k")
            .with_body(b"foo".to_vec())
    };
    let sha256 = "LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=";
    client
        .put_object(put().with_checksum_sha256(sha256))
        .await
        .expect("PutObject with ChecksumSHA256");
    client
        .put_object(
            put()
                .with_checksum_algorithm(s3::types::ChecksumAlgorithm::Crc64nvme)
                .with_checksum_crc64nvme("BPe7BPZfgVg="),
        )
        .await
        .expect("PutObject with a CRC64NVME computed by the caller");
    client
        .upload_part(
            UploadPartRequest::default()
                .with_bucket("my-bucket")
                .with_key("k")
                .with_upload_id("u")
                .with_part_number(1)
                .with_body(b"foo".to_vec())
                .with_checksum_crc32c("z8SuHQ=="),
        )
        .await
        .expect("UploadPart with ChecksumCRC32C");
    client
        .put_object(put().with_checksum_algorithm(s3::types::ChecksumAlgorithm::Crc64nvme))
        .await
        .expect("PutObject with a CRC64NVME computed here");
    let error = client
        .put_object(put().with_checksum_algorithm(s3::types::ChecksumAlgorithm::Xxhash64))
        .await
        .expect_err("XXHASH64 is not computed here");
    assert!(matches!(&error, Error::Build(_)), "{error}");

    let requests = recorder.requests.lock().unwrap();
    assert_eq!(requests.len(), 4, "the refused call sent nothing");
    let checksums = |index: usize| {
        let mut headers: Vec<(String, String)> = requests[index]
            .headers
            .iter()
            .filter(|(name, _)| name.as_str().contains("checksum"))
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
            .collect();
        headers.sort();
        headers
    };
    let pairs = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    };
    assert_eq!(checksums(0), pairs(&[("x-amz-checksum-sha256", sha256)]));
    assert_eq!(
        checksums(1),
        pairs(&[
            ("x-amz-checksum-crc64nvme", "BPe7BPZfgVg="),
            ("x-amz-sdk-checksum-algorithm", "CRC64NVME"),
        ])
    );
    assert_eq!(
        checksums(2),
        pairs(&[("x-amz-checksum-crc32c", "z8SuHQ==")])
    );
    assert_eq!(
        checksums(3),
        pairs(&[
            ("x-amz-checksum-crc64nvme", "5O33DmauDQI="),
            ("x-amz-sdk-checksum-algorithm", "CRC64NVME"),
        ])
    );
}

/// `CopySource` goes percent-encoded (a `?versionId=` kept), as botocore sends it, and so is
/// signed even when the key has letters beyond ASCII.
#[tokio::test(flavor = "current_thread")]
async fn copy_sources_go_percent_encoded_and_signed() {
    let recorder = Recorder::default();
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    let _ = client
        .copy_object(
            CopyObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key("copy")
                .with_copy_source("srcbucket/a%20b c+d~\u{e9}.txt"),
        )
        .await;
    let _ = client
        .upload_part_copy(
            s3::types::UploadPartCopyRequest::default()
                .with_bucket("my-bucket")
                .with_key("copy")
                .with_upload_id("u")
                .with_part_number(1)
                .with_copy_source("srcbucket/dir/\u{65e5} 1?versionId=v1"),
        )
        .await;
    let requests = recorder.requests.lock().unwrap();
    let header = |index: usize, name: &str| recorded_header(&requests, index, name);
    assert_eq!(
        header(0, "x-amz-copy-source").as_deref(),
        Some("srcbucket/a%2520b%20c%2Bd~%C3%A9.txt")
    );
    assert_eq!(
        header(1, "x-amz-copy-source").as_deref(),
        Some("srcbucket/dir/%E6%97%A5%201?versionId=v1")
    );
    for index in 0..2 {
        let authorization = header(index, "authorization").expect("signed");
        assert!(
            authorization.contains("x-amz-copy-source;"),
            "{authorization}"
        );
    }
}

/// PutObject of the file at `path` as `my-bucket/k`, with a client of `config`.
async fn put_file(config: &Config, path: &std::path::Path) {
    let body = botocore_runtime::ByteStream::from_path(path).await.unwrap();
    s3::Client::new(config)
        .expect("client")
        .put_object(
            PutObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key("k")
                .with_body(body),
        )
        .await
        .expect("PutObject");
}

/// Reads an `aws-chunked` body back: the bytes it carries and its trailer line.
fn decode_aws_chunked(mut body: &[u8]) -> (Vec<u8>, String) {
    let mut data = Vec::new();
    loop {
        let end = body
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a length line");
        let length = usize::from_str_radix(std::str::from_utf8(&body[..end]).expect("hex"), 16)
            .expect("a hex length");
        body = &body[end + 2..];
        if length == 0 {
            let trailer = std::str::from_utf8(body).expect("a text trailer");
            let trailer = trailer.strip_suffix("\r\n\r\n").expect("the end");
            return (data, trailer.to_owned());
        }
        data.extend_from_slice(&body[..length]);
        assert_eq!(&body[length..length + 2], b"\r\n", "a piece ends its line");
        body = &body[length + 2..];
    }
}

/// Over HTTPS a streamed body's checksum trails it (`aws-chunked`), as botocore sends one:
/// the default CRC32 too, and one over a reader, which is read once. Over plain HTTP, where
/// that unsigned trailer is not used, a chosen checksum is read from the file ahead of sending
/// (the body still goes as a stream), the default goes without one, and one over a reader,
/// which cannot be read twice, is refused before anything is sent.
#[tokio::test(flavor = "current_thread")]
async fn streamed_bodies_carry_their_checksum_as_the_scheme_allows() {
    use botocore_runtime::ByteStream;
    use botocore_runtime::checksum::ChecksumAlgorithm;

    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("body.bin");
    let content: Vec<u8> = (0..3_000_000u32).map(|i| (i * 31 % 253) as u8).collect();
    std::fs::write(&path, &content).expect("write");
    let put = |body: ByteStream| {
        PutObjectRequest::default()
            .with_bucket("my-bucket")
            .with_key("k")
            .with_body(body)
    };
    let reader = || {
        let reader = std::io::Cursor::new(content.clone());
        ByteStream::from_reader(reader, Some(content.len() as u64))
    };

    // HTTPS (AWS's endpoint): a file with CRC32C chosen, a file left to the default, a reader
    // with SHA-256 chosen.
    let recorder = Recorder::default();
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    let calls = [
        (
            put(ByteStream::from_path(&path).await.unwrap())
                .with_checksum_algorithm(s3::types::ChecksumAlgorithm::Crc32c),
            ChecksumAlgorithm::Crc32c,
        ),
        (
            put(ByteStream::from_path(&path).await.unwrap()),
            ChecksumAlgorithm::Crc32,
        ),
        (
            put(reader()).with_checksum_algorithm(s3::types::ChecksumAlgorithm::Sha256),
            ChecksumAlgorithm::Sha256,
        ),
    ];
    let mut expected = Vec::new();
    for (request, algorithm) in calls {
        client
            .put_object(request)
            .await
            .expect("PutObject over HTTPS");
        expected.push(algorithm);
    }
    let requests = recorder.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 3);
    for (index, algorithm) in expected.into_iter().enumerate() {
        let header = |name: &str| recorded_header(&requests, index, name);
        assert_eq!(header("content-encoding").as_deref(), Some("aws-chunked"));
        assert_eq!(header("transfer-encoding").as_deref(), Some("chunked"));
        assert_eq!(
            header("content-length"),
            None,
            "the encoding changes the length"
        );
        assert_eq!(
            header("x-amz-decoded-content-length"),
            Some(content.len().to_string())
        );
        assert_eq!(
            header("x-amz-content-sha256").as_deref(),
            Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        );
        assert_eq!(header("x-amz-trailer").as_deref(), Some(algorithm.header()));
        assert_eq!(
            header("x-amz-sdk-checksum-algorithm").as_deref(),
            Some(algorithm.name())
        );
        assert_eq!(
            header(algorithm.header()),
            None,
            "in the trailer, not a header"
        );
        let signed = header("authorization").expect("signed");
        for name in [
            "content-encoding",
            "x-amz-decoded-content-length",
            "x-amz-trailer",
        ] {
            assert!(signed.contains(name), "{name} is signed: {signed}");
        }
        let body = requests[index].body_stream.clone().expect("still streamed");
        let (sent, trailer) = decode_aws_chunked(&body.collect().await.expect("the body"));
        assert!(sent == content, "request {index} carries the file's bytes");
        assert_eq!(
            trailer,
            format!("{}:{}", algorithm.header(), algorithm.checksum(&content))
        );
    }

    // Plain HTTP.
    let recorder = Recorder::default();
    let config = aws_config(&recorder).endpoint_url("http://127.0.0.1:1");
    let client = s3::Client::new(&config).expect("client");
    client
        .put_object(
            put(ByteStream::from_path(&path).await.unwrap())
                .with_checksum_algorithm(s3::types::ChecksumAlgorithm::Crc32c),
        )
        .await
        .expect("PutObject with CRC32C");
    client
        .put_object(put(ByteStream::from_path(&path).await.unwrap()))
        .await
        .expect("PutObject, default checksum");
    let error = client
        .put_object(put(reader()).with_checksum_algorithm(s3::types::ChecksumAlgorithm::Sha256))
        .await
        .expect_err("a reader cannot be read twice");
    assert!(
        matches!(&error, Error::Build(build) if build.to_string().contains("read twice")),
        "{error}"
    );

    let requests = recorder.requests.lock().unwrap();
    assert_eq!(requests.len(), 2, "the refused call sent nothing");
    let header = |index: usize, name: &str| recorded_header(&requests, index, name);
    assert!(requests[0].body_stream.is_some(), "still streamed");
    assert_eq!(
        header(0, "x-amz-checksum-crc32c"),
        Some(ChecksumAlgorithm::Crc32c.checksum(&content))
    );
    assert_eq!(
        header(0, "x-amz-sdk-checksum-algorithm").as_deref(),
        Some("CRC32C")
    );
    assert_eq!(header(0, "content-length"), Some(content.len().to_string()));
    assert_eq!(header(0, "content-encoding"), None);
    assert!(requests[1].body_stream.is_some());
    assert!(
        requests[1]
            .headers
            .keys()
            .all(|name| !name.as_str().starts_with("x-amz-checksum-")
                && name != "x-amz-sdk-checksum-algorithm"),
        "no checksum unless chosen: {:?}",
        requests[1].headers.keys().collect::<Vec<_>>()
    );
}

/// A file and a reader streamed to moto over TLS (with its made-up certificate) with their
/// checksums trailing them, through the default transport on a client told to accept that
/// certificate: moto takes the chunked transfer and the encoding apart, the objects read back
/// whole, and the checksum moto keeps for each is the one sent.
#[tokio::test(flavor = "current_thread")]
async fn trailed_uploads_reach_moto_over_tls() {
    use botocore_runtime::ByteStream;
    use botocore_runtime::checksum::ChecksumAlgorithm;

    let moto = tests::python::Moto::start_tls();
    assert!(moto.endpoint.starts_with("https://"), "{}", moto.endpoint);
    let accepting = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .expect("a client");
    let config = config(&moto).transport(botocore_runtime::http::ReqwestTransport::from_client(
        accepting,
    ));
    let client = s3::Client::new(&config).expect("client");
    client
        .create_bucket(
            CreateBucketRequest::default()
                .with_bucket("trailed")
                .with_create_bucket_configuration(
                    CreateBucketConfiguration::default()
                        .with_location_constraint(BucketLocationConstraint::EuWest1),
                ),
        )
        .await
        .expect("CreateBucket");
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("body.bin");
    let content: Vec<u8> = (0..700_000u32).map(|i| (i * 13 % 247) as u8).collect();
    std::fs::write(&path, &content).expect("write");
    let reader = std::io::Cursor::new(content.clone());
    let uploads = [
        ("file", ByteStream::from_path(&path).await.unwrap(), None),
        (
            "reader",
            ByteStream::from_reader(reader, Some(content.len() as u64)),
            Some(s3::types::ChecksumAlgorithm::Sha256),
        ),
    ];
    for (key, body, algorithm) in uploads {
        let mut request = PutObjectRequest::default()
            .with_bucket("trailed")
            .with_key(key)
            .with_body(body);
        request.checksum_algorithm = algorithm;
        client
            .put_object(request)
            .await
            .expect("PutObject over TLS");
    }
    for (key, algorithm) in [
        ("file", ChecksumAlgorithm::Crc32),
        ("reader", ChecksumAlgorithm::Sha256),
    ] {
        let object = client
            .get_object(
                GetObjectRequest::default()
                    .with_bucket("trailed")
                    .with_key(key)
                    .with_checksum_mode(s3::types::ChecksumMode::Enabled),
            )
            .await
            .expect("GetObject");
        let kept = match algorithm {
            ChecksumAlgorithm::Crc32 => object.checksum_crc32.clone(),
            _ => object.checksum_sha256.clone(),
        };
        assert_eq!(kept, Some(algorithm.checksum(&content)), "{key}");
        let body = object
            .body
            .expect("a body")
            .collect()
            .await
            .expect("the body");
        assert!(body == content, "{key} reads back whole");
    }
}

/// The same PutObject of a file over HTTPS as botocore 1.44.8 (the moto venv's) sends it,
/// captured on `before-send`: the same encoding headers and the same trailer, the file's bytes
/// in both bodies (botocore's pieces are 1 MiB, ours the file's 64 KiB reads).
#[tokio::test(flavor = "current_thread")]
async fn a_trailed_body_is_encoded_as_botocore_encodes_it() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("body.bin");
    let content: Vec<u8> = (0..1_500_000u32).map(|i| (i * 7 % 241) as u8).collect();
    std::fs::write(&path, &content).expect("write");
    let python = tests::python::venv("moto-venv", "moto-requirements.txt", "moto.server");
    let script = r#"
import base64, json, sys
import botocore.config, botocore.session
session = botocore.session.get_session()
client = session.create_client(
    "s3", region_name="us-west-2", aws_access_key_id="AKID", aws_secret_access_key="SECRET",
    config=botocore.config.Config(retries={"max_attempts": 0}))
captured = {}
class Captured(Exception):
    pass
def capture(request, **_):
    body = request.body
    body = body.read() if hasattr(body, "read") else body
    captured["headers"] = {k.lower(): v.decode() if isinstance(v, bytes) else v
                           for k, v in request.headers.items()}
    captured["body"] = base64.b64encode(body).decode()
    raise Captured()
client.meta.events.register("before-send.s3.PutObject", capture)
with open(sys.argv[1], "rb") as body:
    try:
        client.put_object(Bucket="my-bucket", Key="k", Body=body)
    except Captured:
        pass
print(json.dumps(captured))
"#;
    let output = std::process::Command::new(python)
        .args(["-c", script])
        .arg(&path)
        .output()
        .expect("python runs");
    assert!(output.status.success(), "{output:?}");
    let theirs: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let their_header = |name: &str| theirs["headers"][name].as_str().map(str::to_owned);
    use base64::Engine as _;
    let their_body = base64::engine::general_purpose::STANDARD
        .decode(theirs["body"].as_str().expect("a body"))
        .expect("base64");

    let recorder = Recorder::default();
    put_file(&aws_config(&recorder), &path).await;
    let requests = recorder.requests.lock().unwrap().clone();
    for name in [
        "content-encoding",
        "transfer-encoding",
        "content-length",
        "x-amz-decoded-content-length",
        "x-amz-content-sha256",
        "x-amz-trailer",
        "x-amz-sdk-checksum-algorithm",
        "x-amz-checksum-crc32",
    ] {
        assert_eq!(
            recorded_header(&requests, 0, name),
            their_header(name),
            "header {name}"
        );
    }
    let ours = requests[0].body_stream.clone().expect("streamed");
    let (our_data, our_trailer) = decode_aws_chunked(&ours.collect().await.expect("body"));
    let (their_data, their_trailer) = decode_aws_chunked(&their_body);
    assert!(
        our_data == content && their_data == content,
        "both carry the file"
    );
    assert_eq!(our_trailer, their_trailer);
}

/// A file body goes unsigned over HTTPS (its checksum trailing it), as botocore sends S3's
/// streams there, and
/// signed with its SHA-256 over plain HTTP, where botocore's S3 signer signs every payload
/// (the hash compared with `sha2`, computed here apart from the client), that of a
/// `v4-unsigned-body` operation (WriteGetObjectResponse) too, as botocore 1.44.8 signs it.
#[tokio::test(flavor = "current_thread")]
async fn a_file_body_is_signed_over_plain_http_only() {
    use botocore_runtime::ByteStream;
    use sha2::Digest as _;

    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("body.bin");
    let content: Vec<u8> = (0..100_000u32).map(|i| (i * 31 % 253) as u8).collect();
    std::fs::write(&path, &content).expect("write");
    let sha256: String = sha2::Sha256::digest(&content)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    for (endpoint, expected) in [
        (None, "STREAMING-UNSIGNED-PAYLOAD-TRAILER".to_owned()),
        (Some("http://127.0.0.1:1"), sha256),
    ] {
        let recorder = Recorder::default();
        let mut config = aws_config(&recorder);
        if let Some(endpoint) = endpoint {
            config = config.endpoint_url(endpoint);
        }
        put_file(&config, &path).await;
        let requests = recorder.requests.lock().unwrap();
        assert!(requests[0].body_stream.is_some(), "still streamed");
        assert_eq!(
            recorded_header(&requests, 0, "x-amz-content-sha256").as_deref(),
            Some(expected.as_str()),
            "{endpoint:?}"
        );
    }
    let recorder = Recorder::default();
    let config = aws_config(&recorder).endpoint_url("http://127.0.0.1:1");
    let client = s3::Client::new(&config).expect("client");
    client
        .write_get_object_response(
            s3::types::WriteGetObjectResponseRequest::default()
                .with_request_route("route")
                .with_request_token("token")
                .with_body(ByteStream::from_bytes("hello")),
        )
        .await
        .expect("WriteGetObjectResponse");
    let requests = recorder.requests.lock().unwrap();
    // SHA-256 of "hello", as botocore sends it over plain HTTP.
    assert_eq!(
        recorded_header(&requests, 0, "x-amz-content-sha256").as_deref(),
        Some("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
    );
}

/// An object stored with an `Expires` that is no date (`never`) can still be read: the value
/// is left out, as botocore leaves it out, instead of failing HeadObject and GetObject. `0`
/// reads as botocore reads it, epoch seconds.
#[tokio::test(flavor = "current_thread")]
async fn an_expires_header_that_is_no_date_does_not_fail_the_call() {
    let recorder = Recorder::default();
    for expires in ["never", "0", "Thu, 01 Dec 1994 16:00:00 GMT"] {
        let mut response = HttpResponse::new(200, "");
        response.headers.insert("expires", expires.parse().unwrap());
        response
            .headers
            .insert("content-length", "0".parse().unwrap());
        recorder.responses.lock().unwrap().push(response);
    }
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    let head = |key: &str| {
        client.head_object(
            HeadObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key(key),
        )
    };
    let undated = head("undated")
        .await
        .expect("HeadObject with Expires: never");
    assert_eq!(undated.expires, None);
    assert_eq!(undated.content_length, Some(0));
    let zero = head("zero").await.expect("HeadObject with Expires: 0");
    assert_eq!(zero.expires.map(|date| date.unix_timestamp()), Some(0));
    let dated = head("dated").await.expect("HeadObject with a date");
    assert_eq!(
        dated.expires.map(|date| date.unix_timestamp()),
        Some(786_297_600)
    );
}

/// SSE-C as botocore sends it: the key (given as itself, or already base64) goes base64 with
/// the base64 MD5 of its bytes, for the object and for a copy source.
#[tokio::test(flavor = "current_thread")]
async fn sse_customer_keys_are_sent_with_their_md5() {
    const RAW: &str = "01234567890123456789012345678901";
    const ENCODED: &str = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";
    const MD5: &str = "KYvwGXoFFJ42a2u2GDWhwQ==";
    let recorder = Recorder::default();
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    client
        .put_object(
            PutObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key("k")
                .with_body(b"secret".to_vec())
                .with_sse_customer_algorithm("AES256")
                .with_sse_customer_key(RAW),
        )
        .await
        .expect("PutObject");
    recorder
        .responses
        .lock()
        .unwrap()
        .push(HttpResponse::new(200, "<CopyObjectResult/>"));
    client
        .copy_object(
            CopyObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key("copy")
                .with_copy_source("my-bucket/k")
                .with_copy_source_sse_customer_algorithm("AES256")
                .with_copy_source_sse_customer_key(ENCODED)
                .with_sse_customer_algorithm("AES256")
                .with_sse_customer_key(RAW),
        )
        .await
        .expect("CopyObject");
    let requests = recorder.requests.lock().unwrap();
    let header = |index: usize, name: &str| recorded_header(&requests, index, name);
    for (index, prefix) in [
        (0, "x-amz-server-side-encryption-customer-key"),
        (1, "x-amz-server-side-encryption-customer-key"),
        (1, "x-amz-copy-source-server-side-encryption-customer-key"),
    ] {
        assert_eq!(header(index, prefix).as_deref(), Some(ENCODED), "{prefix}");
        assert_eq!(
            header(index, &format!("{prefix}-md5")).as_deref(),
            Some(MD5),
            "{prefix}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_200_whose_body_is_an_error_is_that_error() {
    let recorder = Recorder::default();
    recorder.responses.lock().unwrap().push(HttpResponse::new(
        200,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message><RequestId>R1</RequestId></Error>",
    ));
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    let error = client
        .copy_object(
            CopyObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key("to")
                .with_copy_source("my-bucket/from"),
        )
        .await
        .expect_err("the body is an error");
    match error {
        Error::Service { meta, .. } => {
            assert_eq!(meta.code, "SlowDown");
            assert_eq!(meta.status, 500, "read as botocore reads it: a 500");
            assert_eq!(meta.request_id.as_deref(), Some("R1"));
        }
        other => panic!("expected the service error, got {other:?}"),
    }
}

/// An output whose payload is a string or blob (GetBucketPolicy's policy, GetObject's body) is
/// that value whatever it reads as, never an `<Error>` in a success (botocore skips them too).
#[tokio::test(flavor = "current_thread")]
async fn a_payload_that_reads_as_an_error_is_still_the_payload() {
    const ERROR_LOOKALIKE: &str = "<Error><Code>SlowDown</Code></Error>";
    let recorder = Recorder::default();
    recorder
        .responses
        .lock()
        .unwrap()
        .push(HttpResponse::new(200, ERROR_LOOKALIKE));
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    let output = client
        .get_bucket_policy(s3::types::GetBucketPolicyRequest::default().with_bucket("my-bucket"))
        .await
        .expect("the payload is the policy");
    assert_eq!(output.policy.as_deref(), Some(ERROR_LOOKALIKE));
}

/// ListObjects and ListObjectVersions decode every key S3 url-encodes, as botocore's
/// `decode_list_object` and `decode_list_object_versions` do, and only when the client asked for
/// the encoding: markers, prefixes, delimiters, versions' and delete markers' keys.
#[tokio::test(flavor = "current_thread")]
async fn listed_keys_are_decoded_when_the_client_asked_for_them_encoded() {
    const VERSIONS: &str = r#"<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
<Name>my-bucket</Name><Prefix>a+b%2F</Prefix><KeyMarker>a+b%2Fk%01</KeyMarker>
<NextKeyMarker>a+b%2Fz%25</NextKeyMarker><Delimiter>%2F</Delimiter><EncodingType>url</EncodingType>
<IsTruncated>true</IsTruncated>
<Version><Key>a+b%2Fv%F0%9F%98%80</Key><VersionId>1</VersionId></Version>
<DeleteMarker><Key>a+b%2Fgone%20</Key><VersionId>2</VersionId></DeleteMarker>
<CommonPrefixes><Prefix>a+b%2Fdir%2F</Prefix></CommonPrefixes>
</ListVersionsResult>"#;
    const OBJECTS: &str = r#"<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
<Name>my-bucket</Name><Marker>m%2B</Marker><NextMarker>n+%2B</NextMarker>
<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
<Contents><Key>k+%2B</Key></Contents></ListBucketResult>"#;
    let recorder = Recorder::default();
    recorder.responses.lock().unwrap().extend([
        HttpResponse::new(200, VERSIONS),
        HttpResponse::new(200, OBJECTS),
        HttpResponse::new(200, OBJECTS),
    ]);
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    let versions = client
        .list_object_versions(
            s3::types::ListObjectVersionsRequest::default().with_bucket("my-bucket"),
        )
        .await
        .expect("ListObjectVersions");
    assert_eq!(versions.prefix.as_deref(), Some("a b/"));
    assert_eq!(versions.key_marker.as_deref(), Some("a b/k\u{1}"));
    assert_eq!(versions.next_key_marker.as_deref(), Some("a b/z%"));
    assert_eq!(versions.delimiter.as_deref(), Some("/"));
    let version = &versions.versions.as_deref().expect("versions")[0];
    assert_eq!(version.key.as_deref(), Some("a b/v\u{1f600}"));
    let marker = &versions.delete_markers.as_deref().expect("delete markers")[0];
    assert_eq!(marker.key.as_deref(), Some("a b/gone "));
    let prefix = &versions.common_prefixes.as_deref().expect("prefixes")[0];
    assert_eq!(prefix.prefix.as_deref(), Some("a b/dir/"));

    let objects = client
        .list_objects(s3::types::ListObjectsRequest::default().with_bucket("my-bucket"))
        .await
        .expect("ListObjects");
    assert_eq!(objects.marker.as_deref(), Some("m+"));
    assert_eq!(objects.next_marker.as_deref(), Some("n +"));
    assert_eq!(
        objects.contents.as_deref().expect("contents")[0]
            .key
            .as_deref(),
        Some("k +")
    );
    // Chosen by the caller: the keys as S3 wrote them.
    let chosen = client
        .list_objects(
            s3::types::ListObjectsRequest::default()
                .with_bucket("my-bucket")
                .with_encoding_type(s3::types::EncodingType::Url),
        )
        .await
        .expect("ListObjects");
    assert_eq!(chosen.next_marker.as_deref(), Some("n+%2B"));

    let requests = recorder.requests.lock().unwrap();
    for index in 0..3 {
        assert!(
            requests[index].uri.contains("encoding-type=url"),
            "{}",
            requests[index].uri
        );
    }
}

/// A GetObject answer of `body` with `checksums` (header, value).
fn object_with_checksums(body: &'static str, checksums: &[(&'static str, &str)]) -> HttpResponse {
    let mut response = HttpResponse::new(200, body);
    for (name, value) in checksums {
        response.headers.insert(*name, value.parse().unwrap());
    }
    response
}

/// GetObject asks for the object's checksum (`x-amz-checksum-mode: ENABLED`), as botocore's
/// default `when_supported` does, and the body is checked against the one that comes back as
/// it streams; `WhenRequired` asks only when the caller does. "foo": CRC32 `jHNlIQ==`,
/// CRC64NVME `5O33DmauDQI=`.
#[tokio::test(flavor = "current_thread")]
async fn get_object_checks_the_body_against_its_checksum() {
    let recorder = Recorder::default();
    recorder.responses.lock().unwrap().extend([
        object_with_checksums("foo", &[("x-amz-checksum-crc64nvme", "5O33DmauDQI=")]),
        object_with_checksums("fop", &[("x-amz-checksum-crc64nvme", "5O33DmauDQI=")]),
        // A multipart object's checksum of checksums says nothing of the body; CRC32 does.
        object_with_checksums(
            "fop",
            &[
                ("x-amz-checksum-crc64nvme", "5O33DmauDQI=-2"),
                ("x-amz-checksum-crc32", "jHNlIQ=="),
            ],
        ),
        object_with_checksums("fop", &[("x-amz-checksum-crc64nvme", "5O33DmauDQI=-2")]),
    ]);
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    let get = || {
        client.get_object(
            GetObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key("key"),
        )
    };
    let body = |output: s3::types::GetObjectOutput| output.body.expect("a body").collect();

    let good = get().await.expect("GetObject");
    assert_eq!(good.checksum_crc64nvme.as_deref(), Some("5O33DmauDQI="));
    assert_eq!(&body(good).await.expect("the body matches")[..], b"foo");
    let damaged = body(get().await.expect("the headers are fine"))
        .await
        .expect_err("the body does not match");
    assert_eq!(damaged.kind(), std::io::ErrorKind::InvalidData);
    assert!(damaged.to_string().contains("CRC64NVME"), "{damaged}");
    let damaged = body(get().await.expect("the headers are fine"))
        .await
        .expect_err("the body does not match its CRC32");
    assert!(
        damaged.to_string().contains("x-amz-checksum-crc32"),
        "{damaged}"
    );
    let unchecked = body(get().await.expect("GetObject")).await;
    assert_eq!(&unchecked.expect("nothing to check it against")[..], b"fop");
    {
        let requests = recorder.requests.lock().unwrap();
        assert_eq!(requests.len(), 4);
        for index in 0..4 {
            assert_eq!(
                recorded_header(&requests, index, "x-amz-checksum-mode").as_deref(),
                Some("ENABLED")
            );
        }
    }

    // Asked for only when the caller asks: then a damaged body is still found out.
    let recorder = Recorder::default();
    recorder.responses.lock().unwrap().extend([
        object_with_checksums("fop", &[("x-amz-checksum-crc32", "jHNlIQ==")]),
        object_with_checksums("fop", &[("x-amz-checksum-crc32", "jHNlIQ==")]),
    ]);
    let client = s3::Client::new(&aws_config(&recorder).response_checksum_validation(
        botocore_runtime::checksum::ChecksumValidation::WhenRequired,
    ))
    .expect("client");
    let unasked = client
        .get_object(
            GetObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key("key"),
        )
        .await
        .expect("GetObject");
    assert_eq!(&body(unasked).await.expect("not checked")[..], b"fop");
    let asked = client
        .get_object(
            GetObjectRequest::default()
                .with_bucket("my-bucket")
                .with_key("key")
                .with_checksum_mode(s3::types::ChecksumMode::Enabled),
        )
        .await
        .expect("GetObject");
    assert!(body(asked).await.is_err(), "checked when the caller asks");
    let requests = recorder.requests.lock().unwrap();
    assert_eq!(recorded_header(&requests, 0, "x-amz-checksum-mode"), None);
    assert_eq!(
        recorded_header(&requests, 1, "x-amz-checksum-mode").as_deref(),
        Some("ENABLED")
    );
}

/// Called by name (`dynamic`, the command line), GetObject's body is read whole, and one that
/// does not match its checksum is a `Decode` error, as botocore raises `FlexibleChecksumError`.
#[tokio::test(flavor = "current_thread")]
async fn get_object_by_name_checks_the_whole_body() {
    let recorder = Recorder::default();
    recorder.responses.lock().unwrap().extend([
        object_with_checksums("foo", &[("x-amz-checksum-crc32", "jHNlIQ==")]),
        object_with_checksums("fop", &[("x-amz-checksum-crc32", "jHNlIQ==")]),
    ]);
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    let params = serde_json::json!({"Bucket": "my-bucket", "Key": "key"});
    let style = s3::dynamic::ResultStyle::default();
    let good = client
        .call_operation("GetObject", &params, style)
        .await
        .expect("the body matches");
    assert_eq!(good["ChecksumCRC32"], "jHNlIQ==");
    match client.call_operation("GetObject", &params, style).await {
        Err(Error::Decode(error)) => {
            assert!(
                error.to_string().contains("x-amz-checksum-crc32"),
                "{error}"
            )
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let requests = recorder.requests.lock().unwrap();
    assert_eq!(
        recorded_header(&requests, 1, "x-amz-checksum-mode").as_deref(),
        Some("ENABLED")
    );
}

/// A response S3 gives a request sent to the wrong region: `status`, the bucket's region in
/// `x-amz-bucket-region` if `header` names one, and `body`.
fn wrong_region(status: u16, header: Option<&str>, body: &str) -> HttpResponse {
    let mut response = HttpResponse::new(status, body.to_owned());
    if let Some(region) = header {
        response
            .headers
            .insert("x-amz-bucket-region", region.parse().unwrap());
    }
    response
}

/// Asserts where each recorded request went (`METHOD uri`) and the region it was signed for.
fn assert_destinations(recorder: &Recorder, expected: &[(&str, &str)]) {
    let requests = recorder.requests.lock().unwrap();
    let destinations: Vec<(String, String)> = (0..requests.len())
        .map(|index| {
            let authorization = recorded_header(&requests, index, "authorization").unwrap();
            // `Credential=AKID/20240101/eu-west-1/s3/aws4_request`
            let scope = authorization.split("Credential=").nth(1).unwrap();
            let region = scope.split('/').nth(2).unwrap().to_owned();
            let request = &requests[index];
            (format!("{} {}", request.method, request.uri), region)
        })
        .collect();
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(to, region)| (to.to_string(), region.to_string()))
        .collect();
    assert_eq!(destinations, expected);
}

/// As botocore's `S3RegionRedirectorv2`: a request S3 answers with the bucket's region (a 301
/// `PermanentRedirect` with `x-amz-bucket-region`, an `AuthorizationHeaderMalformed` naming
/// the region, HeadObject's bodiless 400) is sent again, once, to that region's endpoint and
/// signed for it; the client then sends that bucket's requests there at once. A redirect naming
/// no region asks HeadBucket, whose answer names it. Not followed: a second redirect, a
/// redirect whose HeadBucket names no region either, an `AuthorizationHeaderMalformed` whose
/// body names none, and a "region" that is no region name.
#[tokio::test(flavor = "current_thread")]
async fn requests_follow_s3_to_the_buckets_region() {
    let recorder = Recorder::default();
    let permanent = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Endpoint>my-bucket.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>my-bucket</Bucket></Error>";
    let malformed = "<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region 'us-west-2' is wrong; expecting 'ap-southeast-2'</Message><Region>ap-southeast-2</Region></Error>";
    let unnamed = "<Error><Code>PermanentRedirect</Code></Error>";
    recorder.responses.lock().unwrap().extend([
        // GetObject of my-bucket: redirected, then served.
        wrong_region(301, Some("eu-west-1"), permanent),
        HttpResponse::new(200, "object"),
        // A second GetObject of my-bucket goes to eu-west-1 at once.
        HttpResponse::new(200, "object"),
        // ListObjectsV2 of other.bucket (dotted: path style): the region from the body.
        wrong_region(400, None, malformed),
        HttpResponse::new(
            200,
            "<ListBucketResult><Name>other.bucket</Name><KeyCount>0</KeyCount></ListBucketResult>",
        ),
        // HeadObject of head-bucket: a bodiless 400 with the header.
        wrong_region(400, Some("eu-central-1"), ""),
        HttpResponse::new(200, ""),
        // silent-bucket: a redirect naming no region; HeadBucket's 301 names it.
        wrong_region(301, None, unnamed),
        wrong_region(301, Some("ca-central-1"), ""),
        HttpResponse::new(200, "object"),
        // loop-bucket: redirected twice; the second answer is the caller's error.
        wrong_region(301, Some("eu-north-1"), permanent),
        wrong_region(301, Some("eu-south-1"), permanent),
        // nameless-bucket: neither the redirect nor HeadBucket's 403 names a region.
        wrong_region(301, None, unnamed),
        wrong_region(403, None, ""),
        // hostile-bucket: a "region" that would change the host.
        wrong_region(301, Some("evil.example.com/x"), permanent),
        // signature-bucket: AuthorizationHeaderMalformed without a <Region>.
        wrong_region(
            400,
            Some("eu-west-3"),
            "<Error><Code>AuthorizationHeaderMalformed</Code></Error>",
        ),
    ]);
    let client = s3::Client::new(&aws_config(&recorder)).expect("client");
    let get = |bucket: &str| {
        client.get_object(
            GetObjectRequest::default()
                .with_bucket(bucket)
                .with_key("dir/k"),
        )
    };
    let object = get("my-bucket").await.expect("redirected to eu-west-1");
    let body = object.body.expect("a body").collect().await.expect("read");
    assert_eq!(body, "object");
    get("my-bucket").await.expect("sent to eu-west-1 at once");
    client
        .list_objects_v2(ListObjectsV2Request::default().with_bucket("other.bucket"))
        .await
        .expect("redirected to ap-southeast-2");
    client
        .head_object(
            HeadObjectRequest::default()
                .with_bucket("head-bucket")
                .with_key("k"),
        )
        .await
        .expect("redirected to eu-central-1");
    get("silent-bucket")
        .await
        .expect("redirected to the region HeadBucket names");
    for (bucket, status, code) in [
        ("loop-bucket", 301, "PermanentRedirect"),
        ("nameless-bucket", 301, "PermanentRedirect"),
        ("hostile-bucket", 301, "PermanentRedirect"),
        ("signature-bucket", 400, "AuthorizationHeaderMalformed"),
    ] {
        match get(bucket).await {
            Err(Error::Service { meta, .. }) => {
                assert_eq!(
                    (meta.status, meta.code.as_str()),
                    (status, code),
                    "{bucket}"
                )
            }
            other => panic!("{bucket}: expected the redirect as an error, got {other:?}"),
        }
    }
    assert_destinations(
        &recorder,
        &[
            (
                "GET https://my-bucket.s3.us-west-2.amazonaws.com/dir/k",
                "us-west-2",
            ),
            (
                "GET https://my-bucket.s3.eu-west-1.amazonaws.com/dir/k",
                "eu-west-1",
            ),
            (
                "GET https://my-bucket.s3.eu-west-1.amazonaws.com/dir/k",
                "eu-west-1",
            ),
            (
                "GET https://s3.us-west-2.amazonaws.com/other.bucket?list-type=2&encoding-type=url",
                "us-west-2",
            ),
            (
                "GET https://s3.ap-southeast-2.amazonaws.com/other.bucket?list-type=2&encoding-type=url",
                "ap-southeast-2",
            ),
            (
                "HEAD https://head-bucket.s3.us-west-2.amazonaws.com/k",
                "us-west-2",
            ),
            (
                "HEAD https://head-bucket.s3.eu-central-1.amazonaws.com/k",
                "eu-central-1",
            ),
            (
                "GET https://silent-bucket.s3.us-west-2.amazonaws.com/dir/k",
                "us-west-2",
            ),
            (
                "HEAD https://silent-bucket.s3.us-west-2.amazonaws.com/",
                "us-west-2",
            ),
            (
                "GET https://silent-bucket.s3.ca-central-1.amazonaws.com/dir/k",
                "ca-central-1",
            ),
            (
                "GET https://loop-bucket.s3.us-west-2.amazonaws.com/dir/k",
                "us-west-2",
            ),
            (
                "GET https://loop-bucket.s3.eu-north-1.amazonaws.com/dir/k",
                "eu-north-1",
            ),
            (
                "GET https://nameless-bucket.s3.us-west-2.amazonaws.com/dir/k",
                "us-west-2",
            ),
            (
                "HEAD https://nameless-bucket.s3.us-west-2.amazonaws.com/",
                "us-west-2",
            ),
            (
                "GET https://hostile-bucket.s3.us-west-2.amazonaws.com/dir/k",
                "us-west-2",
            ),
            (
                "GET https://signature-bucket.s3.us-west-2.amazonaws.com/dir/k",
                "us-west-2",
            ),
        ],
    );
}

/// With an endpoint set in the configuration (an emulator, a proxy), a redirect changes only
/// the region the request is signed for: the URL stays, HeadBucket's included.
#[tokio::test(flavor = "current_thread")]
async fn a_configured_endpoint_stays_when_s3_names_another_region() {
    let recorder = Recorder::default();
    recorder.responses.lock().unwrap().extend([
        wrong_region(301, Some("eu-west-1"), ""),
        HttpResponse::new(200, "object"),
        // other-bucket: a bodiless 301 naming no region; HeadBucket's does.
        wrong_region(301, None, ""),
        wrong_region(301, Some("ap-northeast-1"), ""),
        HttpResponse::new(200, "object"),
    ]);
    let config = aws_config(&recorder).endpoint_url("http://127.0.0.1:9/s3");
    let client = s3::Client::new(&config).expect("client");
    for bucket in ["my-bucket", "other-bucket"] {
        client
            .get_object(
                GetObjectRequest::default()
                    .with_bucket(bucket)
                    .with_key("k"),
            )
            .await
            .expect("signed again for the bucket's region");
    }
    assert_destinations(
        &recorder,
        &[
            ("GET http://127.0.0.1:9/s3/my-bucket/k", "us-west-2"),
            ("GET http://127.0.0.1:9/s3/my-bucket/k", "eu-west-1"),
            ("GET http://127.0.0.1:9/s3/other-bucket/k", "us-west-2"),
            ("HEAD http://127.0.0.1:9/s3/other-bucket", "us-west-2"),
            ("GET http://127.0.0.1:9/s3/other-bucket/k", "ap-northeast-1"),
        ],
    );
}
