//! The two contenders, set up once for both the criterion bench (`benches/describe_contact.rs`)
//! and the profiler loop (`examples/profile.rs`): the same input, the same in-memory answers.
//!
//! - [`peer`]: aws-sdk-connect 1.220.0, through its public API.
//! - [`ours`]: our generated `connect` crate.

use std::path::Path;

use bytes::Bytes;

pub const INSTANCE_ID: &str = "a1b2c3d4-5678-90ab-cdef-111111111111";
pub const CONTACT_ID: &str = "9f8e7d6c-5b4a-4321-8fed-cba987654321";
pub const REQUEST_ID: &str = "2d0b1d27-6c55-4b8e-9e3a-6f0c3c2a1e55";

/// The shared response body, `tests/bench-inputs/describe-contact-response.json`.
pub fn response_body() -> Bytes {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/bench-inputs/describe-contact-response.json");
    let body = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    Bytes::from(body)
}

/// A runtime like the one an async caller has: current-thread tokio.
pub fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

pub mod peer {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
    use aws_sdk_connect::operation::RequestId as _;
    use aws_sdk_connect::operation::describe_contact::{DescribeContact, DescribeContactOutput};
    use aws_smithy_http_client::test_util::infallible_client_fn;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
    use aws_smithy_runtime_api::client::ser_de::{DeserializeResponse, SharedResponseDeserializer};
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::config_bag::ConfigBag;
    use bytes::Bytes;

    use super::{CONTACT_ID, INSTANCE_ID, REQUEST_ID};

    /// The canned HTTP response: 200, JSON, a request id, the shared body.
    fn canned_http_response(body: &Bytes) -> http::Response<SdkBody> {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .header("x-amzn-RequestId", REQUEST_ID)
            .header("content-length", body.len())
            .body(SdkBody::from(body.clone()))
            .expect("valid response")
    }

    /// Checks that the decoded output is the whole shared document, not an empty or partial one.
    fn check_output(out: &DescribeContactOutput) {
        let contact = out.contact().expect("Contact decoded");
        assert_eq!(contact.id(), Some(CONTACT_ID));
        assert!(contact.arn().is_some_and(|a| a.ends_with(CONTACT_ID)));
        assert_eq!(contact.recordings().len(), 3, "three recordings");
        assert!(contact.initiation_timestamp().is_some());
        assert_eq!(out.request_id(), Some(REQUEST_ID));
    }

    /// A client whose HTTP client answers every request with the canned response, with static
    /// test credentials and region us-east-1. `signed` is set if a request carried a SigV4
    /// `authorization` header.
    fn client(body: Bytes, signed: Arc<AtomicBool>) -> aws_sdk_connect::Client {
        let http_client = infallible_client_fn(move |req: http::Request<SdkBody>| {
            if req
                .headers()
                .get("authorization")
                .is_some_and(|v| v.as_bytes().starts_with(b"AWS4-HMAC-SHA256 "))
            {
                signed.store(true, Ordering::Relaxed);
            }
            canned_http_response(&body)
        });
        let config = aws_sdk_connect::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::for_tests())
            .http_client(http_client)
            .build();
        aws_sdk_connect::Client::from_conf(config)
    }

    /// A client as [`client`] makes it, checked once: the call succeeds, is signed and decodes
    /// the whole document.
    pub fn checked_client(body: &Bytes, rt: &tokio::runtime::Runtime) -> aws_sdk_connect::Client {
        let signed = Arc::new(AtomicBool::new(false));
        let client = client(body.clone(), signed.clone());
        check_output(&rt.block_on(call(&client)));
        assert!(signed.load(Ordering::Relaxed), "request was SigV4-signed");
        client
    }

    /// One whole call: build, serialize, resolve the endpoint, sign, "send", parse.
    pub async fn call(client: &aws_sdk_connect::Client) -> DescribeContactOutput {
        client
            .describe_contact()
            .instance_id(INSTANCE_ID)
            .contact_id(CONTACT_ID)
            .send()
            .await
            .expect("describe_contact succeeds against the canned response")
    }

    /// The SDK's response deserializer for DescribeContact, reached through public API only.
    ///
    /// `DescribeContactResponseDeserializer` and `protocol_serde` are private, but the public
    /// operation type `DescribeContact` is the operation's `RuntimePlugin`, and its `config()`
    /// layer is where the SDK itself puts that deserializer, as a `SharedResponseDeserializer`,
    /// for the orchestrator to load. We load it from the same layer the same way, and call it
    /// the way the orchestrator's deserialization phase does
    /// (`deserialize_nonstreaming_with_config` on a response whose body is already in memory).
    pub struct Decoder {
        cfg: ConfigBag,
        response: HttpResponse,
    }

    impl Decoder {
        /// The decoder and the response it decodes, checked once: not streaming, and it
        /// decodes the whole document.
        pub fn new(body: &Bytes) -> Self {
            let layer = DescribeContact::new()
                .config()
                .expect("the operation plugin has a config layer");
            let mut cfg = ConfigBag::base();
            cfg.push_shared_layer(layer);
            let mut response = HttpResponse::try_from(canned_http_response(body))
                .expect("http 1.x response converts");
            assert_eq!(response.status(), StatusCode::try_from(200).unwrap());
            let streaming = cfg
                .load::<SharedResponseDeserializer>()
                .expect("the operation layer holds its response deserializer")
                .deserialize_streaming_with_config(&mut response, &cfg);
            assert!(
                streaming.is_none(),
                "DescribeContact is not a streaming operation"
            );
            let decoder = Self { cfg, response };
            check_output(&decoder.decode());
            decoder
        }

        /// Loaded from the bag on each use, as the orchestrator does (a type-keyed lookup; the
        /// shared deserializer is not `Clone`, so it stays in the bag).
        fn deserializer(&self) -> &SharedResponseDeserializer {
            self.cfg
                .load::<SharedResponseDeserializer>()
                .expect("the operation layer holds its response deserializer")
        }

        /// As the orchestrator does: the streaming hook first (None for this operation: it
        /// takes `&mut` and is checked once in [`Decoder::new`], not on every call), then the
        /// non-streaming deserializer on the in-memory body.
        pub fn decode(&self) -> DescribeContactOutput {
            self.deserializer()
                .deserialize_nonstreaming_with_config(&self.response, &self.cfg)
                .expect("decodes")
                .downcast::<DescribeContactOutput>()
                .expect("DescribeContactOutput")
        }
    }
}

pub mod ours {
    use bytes::Bytes;

    use super::{CONTACT_ID, INSTANCE_ID, REQUEST_ID};

    /// Our in-memory transport: every request gets 200 with the shared body and a request id.
    /// The body is a `Bytes` clone, as in the peer's canned response: neither side copies it.
    struct CannedTransport {
        body: Bytes,
    }

    impl connect::Transport for CannedTransport {
        fn send(
            &self,
            _request: connect::HttpRequest,
        ) -> connect::BoxFuture<'_, Result<connect::HttpResponse, connect::TransportError>>
        {
            let mut response = connect::HttpResponse::new(200, self.body.clone());
            response.headers.insert(
                "content-type",
                connect::http::HeaderValue::from_static("application/json"),
            );
            response.headers.insert(
                "x-amzn-requestid",
                connect::http::HeaderValue::from_static(REQUEST_ID),
            );
            Box::pin(std::future::ready(Ok(response)))
        }
    }

    /// Checks that the decoded output is the whole shared document.
    fn check_output(output: connect::types::DescribeContactResponse) {
        let contact = output.contact.expect("contact");
        assert_eq!(contact.id.as_deref(), Some(CONTACT_ID));
        assert_eq!(contact.recordings.as_ref().map(Vec::len), Some(3));
        assert!(contact.initiation_timestamp.is_some());
    }

    /// A client over [`CannedTransport`] with static credentials and region us-east-1, checked
    /// once: the call succeeds and decodes the whole document.
    pub fn checked_client(body: &Bytes, rt: &tokio::runtime::Runtime) -> connect::Client {
        let client = connect::Client::new(
            &connect::Config::new()
                .region("us-east-1")
                .credentials(connect::Credentials::new(
                    "ANOTREAL",
                    "notrealrnrELgWzOk3IfjzDKtFBhDby",
                    None,
                ))
                .transport(CannedTransport { body: body.clone() }),
        )
        .expect("client");
        check_output(rt.block_on(call(&client)));
        client
    }

    /// One whole call: validate, serialize, sign, "send", parse.
    pub async fn call(client: &connect::Client) -> connect::types::DescribeContactResponse {
        let input = connect::types::DescribeContactRequest::default()
            .with_instance_id(INSTANCE_ID)
            .with_contact_id(CONTACT_ID);
        client.describe_contact(input).await.expect("call")
    }

    /// Decoding the body alone into our output type, as the client does it
    /// (`rt::rest::from_json`): the body is checked for UTF-8 once, then read by serde_json as
    /// text.
    pub fn decode(body: &[u8]) -> connect::types::DescribeContactResponse {
        let text = std::str::from_utf8(body).expect("UTF-8");
        serde_json::from_str(text).expect("decodes")
    }

    /// Checks [`decode`] once on `body`.
    pub fn check_decode(body: &[u8]) {
        check_output(decode(body));
    }

    /// The reference: the same UTF-8 check and serde_json parse, keeping nothing
    /// (`IgnoredAny`); the least any serde_json decoder of the body can cost.
    pub fn skim(body: &[u8]) -> serde::de::IgnoredAny {
        let text = std::str::from_utf8(body).expect("UTF-8");
        serde_json::from_str(text).expect("JSON")
    }
}
