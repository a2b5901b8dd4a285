//! The path every call takes: validate, serialize, sign, send, retry, decode.
//!
//! A generated crate describes its service once ([`ServiceInfo`]) and each operation's wire
//! binding once ([`Operation`]); its `Client` wraps a [`ServiceClient`], which does the rest for
//! every operation of every service. So an operation adds only its own binding to the build.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::SystemTime;

use tracing::Instrument as _;

use crate::checksum::{ChecksumAlgorithm, ChecksumValidation, ResponseChecksum};
use crate::config::{Config, ConfigError};
use crate::endpoint_rules::{AuthScheme, EndpointRules, StaticParam, Value};
use crate::error::{BuildError, CredentialsError, DecodeError, Error, ErrorMeta, OperationError};
use crate::http::{
    HeaderName, HeaderValue, HttpRequest, HttpResponse, Transport, TransportErrorKind,
};
use crate::protocol::Protocol;
use crate::request::RequestBuilder;
use crate::retry::{self, RetryQuota};
use crate::validate::Validate;

/// What a generated crate tells the runtime about its service.
#[derive(Debug)]
pub struct ServiceInfo {
    /// The model's `serviceId` (`"DynamoDB"`), which names per-service endpoint settings.
    pub service_id: &'static str,
    /// The first label of the service's host names (`dynamodb`).
    pub endpoint_prefix: &'static str,
    /// The service name requests are signed for.
    pub signing_name: &'static str,
    /// Error codes the model marks `retryable`.
    pub retryable_codes: &'static [&'static str],
    /// How error responses are read.
    pub protocol: &'static dyn Protocol,
    /// What the service needs beyond its model.
    pub customization: Customization,
    /// Whether its requests carry a bearer token in place of SigV4.
    pub bearer: BearerAuth,
    /// The model's endpoint rule set, which decides where requests go and for which region and
    /// service name they are signed; `None` for a crate generated without one, whose requests
    /// go to `https://{endpoint_prefix}.{region}.amazonaws.com`.
    pub endpoint_rules: Option<&'static EndpointRules>,
}

/// Whether a service's requests are authorized with a bearer token (`Authorization: Bearer`)
/// in place of SigV4, as botocore decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BearerAuth {
    /// Never.
    No,
    /// When a token is given ([`Config::bearer_token`], or `AWS_BEARER_TOKEN_{SIGNING NAME}` in
    /// a configuration read from the environment), else SigV4: a service whose model offers
    /// both and for which botocore reads such a token (Bedrock's API keys).
    WhenGiven,
    /// Always, SigV4 being offered not at all (CodeCatalyst): the token given, else the access
    /// token of the profile's SSO session.
    Only,
}

/// A service's treatment beyond its model, which botocore's handlers and the SDKs add by
/// hand for that service alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Customization {
    /// Nothing beyond the model.
    None,
    /// S3: buckets addressed as host names where they can be ([`crate::s3`]), S3's signing
    /// rules (one percent-encoding, no path normalization, `x-amz-content-sha256` always), and
    /// a 200 whose body is an `<Error>` read as the error it is.
    S3,
    /// DynamoDB: each response carries the CRC32 of its body (`x-amz-crc32`); a body that
    /// does not match it is retried, and read as a decode error when no attempt is left
    /// (botocore retries it, and in its legacy mode raises `ChecksumError`).
    DynamoDb,
}

/// How a success response's body is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OutputBody {
    /// Read whole and decoded; for S3, a 200 whose body is an `<Error>` is that error.
    Parsed,
    /// Read whole, the output's blob or string payload: never taken for an error.
    Payload,
    /// Left arriving, for the caller to read ([`Operation::STREAMING_OUTPUT`]).
    Streamed,
}

impl OutputBody {
    fn of<O: Operation>(streams: bool) -> Self {
        match (O::STREAMING_OUTPUT && streams, O::PAYLOAD_OUTPUT) {
            (true, _) => OutputBody::Streamed,
            (false, true) => OutputBody::Payload,
            (false, false) => OutputBody::Parsed,
        }
    }
}

/// What [`Operation::cross_region_presign`] asks for: a presigned URL of the call `input`
/// describes, in region `source`.
#[derive(Debug)]
pub struct CrossRegionPresign<I> {
    /// The region the source (snapshot, cluster, instance) is in, whose endpoint the URL is for.
    pub source: String,
    /// The input of the call to presign.
    pub input: I,
    /// The form parameter that tells the destination region, for a model that has no member
    /// for it (RDS's `DestinationRegion`).
    pub destination_parameter: Option<&'static str>,
}

/// How long the URL of [`Operation::cross_region_presign`] is valid: botocore's default.
const CROSS_REGION_EXPIRY: std::time::Duration = std::time::Duration::from_secs(3600);

/// A presigned request: a URL anyone can use, without credentials, until it expires.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    /// The HTTP method to use.
    pub method: crate::http::Method,
    /// The URL, signature included.
    pub uri: String,
    /// Headers the request must carry as they were signed (those bound to input members).
    pub headers: crate::http::HeaderMap,
}

impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL is a bearer credential until it expires.
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("uri", &crate::Redacted)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// How an operation's requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Signing {
    /// SigV4 over the whole request (the default).
    SigV4,
    /// SigV4 with `UNSIGNED-PAYLOAD` as the body's hash (`authtype: v4-unsigned-body`).
    SigV4UnsignedPayload,
    /// Not signed (`authtype: none`): credentials are not even needed.
    None,
    /// Signature Version 2 in the parameters (`signatureVersion: v2`: SimpleDB and
    /// Import/Export).
    SigV2,
}

/// One operation of a model: how its input goes on the wire and its output comes back.
/// Generated code implements it once per operation, on a marker type.
pub trait Operation: Send + Sync + 'static {
    /// The operation's name in the model.
    const NAME: &'static str;
    /// The service the operation belongs to.
    const SERVICE: &'static ServiceInfo;
    /// How its requests are signed.
    const SIGNING: Signing = Signing::SigV4;
    /// The endpoint rule set parameters the operation sets (the model's `staticContextParams`):
    /// its endpoint is resolved with them, once per client.
    const ENDPOINT_PARAMS: &'static [(&'static str, StaticParam)] = &[];
    /// Whether the input sets endpoint rule set parameters
    /// ([`input_endpoint_params`](Self::input_endpoint_params)): then the endpoint is resolved
    /// for each input (and kept for the next call with the same values).
    const INPUT_ENDPOINT_PARAMS: bool = false;

    /// The endpoint rule set parameters the input sets (its `contextParam` members that are
    /// set: Kinesis's `StreamARN`, DynamoDB's `ResourceArn`); none by default.
    fn input_endpoint_params(input: &Self::Input) -> Vec<(&'static str, Value)> {
        let _ = input;
        Vec::new()
    }
    /// The feature of the operation's model the generator could not honour, if any: such an
    /// operation fails with [`Error::Unsupported`] before anything is sent.
    const UNSUPPORTED: Option<&'static str> = None;
    /// The input type.
    type Input: Validate + Send;
    /// The output type.
    type Output: Send;
    /// The enum of the errors the operation models.
    type Error: OperationError;

    /// Mends the input before it is validated, as botocore's `before-parameter-build`
    /// handlers do for some services (Route 53's ids given as paths); nothing by default.
    fn prepare_input(input: &mut Self::Input) {
        let _ = input;
    }

    /// The checksums a response may carry for its body (`httpChecksum.responseAlgorithms`, as
    /// the model names them), checked when the input asks for them
    /// ([`ask_for_response_checksums`](Self::ask_for_response_checksums)).
    const RESPONSE_CHECKSUMS: &'static [&'static str] = &[];

    /// For an operation with a validation-mode member (`httpChecksum.requestValidationModeMember`,
    /// S3's `ChecksumMode`): sets it to `ENABLED` when `default` and the caller left it unset,
    /// as botocore's default `when_supported` does, and tells whether it is set, that is,
    /// whether the response's checksum is to be checked. `false` for any other operation.
    fn ask_for_response_checksums(input: &mut Self::Input, default: bool) -> bool {
        let _ = (input, default);
        false
    }

    /// S3's list operations: sets `EncodingType=url` when the caller left it unset, as botocore
    /// does so that keys with characters XML cannot carry still list, and tells whether it did
    /// (then [`decode_url_encoding`](Self::decode_url_encoding) decodes the output's keys).
    fn default_url_encoding(input: &mut Self::Input) -> bool {
        let _ = input;
        false
    }

    /// Decodes the keys of an output whose `EncodingType` is `url`, after
    /// [`default_url_encoding`](Self::default_url_encoding) asked for it.
    fn decode_url_encoding(output: &mut Self::Output) {
        let _ = output;
    }

    /// For a call botocore sends with a presigned URL of the same call in the source region
    /// (EC2's CopySnapshot, the cross-region copies of RDS, Neptune and DocumentDB): when the
    /// input names a source region and gives no presigned URL, readies the input for sending
    /// to `destination` and returns what to presign; `None` otherwise, and for any other
    /// operation.
    fn cross_region_presign(
        input: &mut Self::Input,
        destination: &str,
    ) -> Option<CrossRegionPresign<Self::Input>> {
        let _ = (input, destination);
        None
    }

    /// Sets the input's presigned URL member to `url`, made for
    /// [`cross_region_presign`](Self::cross_region_presign).
    fn set_presigned_url(input: &mut Self::Input, url: String) {
        let _ = (input, url);
    }

    /// Sets the input's streaming member (S3's `Body`) to `body`, for the calls by name, whose
    /// JSON cannot carry a stream; nothing for an operation without one.
    fn set_streaming_input(input: &mut Self::Input, body: crate::ByteStream) {
        let _ = (input, body);
    }

    /// Mends a decoded output as botocore's `after-call` handlers do for some operations (EC2's
    /// console output base64-decoded); nothing by default.
    fn finish_output(output: &mut Self::Output) {
        let _ = output;
    }

    /// Fills unset idempotency tokens and serializes the input.
    fn build(input: &mut Self::Input) -> Result<RequestBuilder, BuildError>;

    /// Binds a success response to the output.
    fn parse(response: &HttpResponse) -> Result<Self::Output, DecodeError>;

    /// The output's payload is a `streaming` blob (S3's `GetObject`): a success response is
    /// handed to [`parse_streaming`](Self::parse_streaming) as soon as its headers are in.
    const STREAMING_OUTPUT: bool = false;

    /// The output is an event stream (an
    /// [`EventReceiver`](crate::event_stream::EventReceiver)), which the `dynamic` calls and
    /// the command line cannot give as JSON.
    const EVENT_STREAM_OUTPUT: bool = false;

    /// The output's payload is a blob or string (S3's `GetObject`, `GetBucketPolicy`): a
    /// success's body is that value, which may well read as an `<Error>` document, so it is
    /// never taken for one (botocore's `_should_handle_200_error` skips such operations).
    const PAYLOAD_OUTPUT: bool = false;

    /// Binds a success response whose body, `body`, is still arriving.
    fn parse_streaming(
        response: &HttpResponse,
        body: crate::ByteStream,
    ) -> Result<Self::Output, DecodeError> {
        let _ = body;
        Self::parse(response)
    }

    /// The operation's error for an error response whose protocol-level facts are `meta`:
    /// the modeled error its code names, else `Unmodeled`.
    fn parse_error(meta: &ErrorMeta, response: &HttpResponse) -> Result<Self::Error, DecodeError>;
}

/// The part of a generated client that is the same for every service: one configuration, one
/// endpoint, the transport and the retry quota. Cheap to clone, safe to share across tasks.
#[derive(Clone)]
pub struct ServiceClient {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static ServiceInfo,
    config: Config,
    /// Where the operations without endpoint parameters of their own send, or why nowhere.
    endpoint: Result<Arc<Target>, String>,
    /// The endpoints of operations with parameters of their own, once resolved, by operation and
    /// the values they gave.
    operation_endpoints:
        std::sync::RwLock<std::collections::HashMap<EndpointKey, Result<Arc<Target>, String>>>,
    /// The endpoint was set in code or in the environment, not derived from the region.
    custom_endpoint: bool,
    /// The region requests are signed for (the endpoint's, else the configuration's).
    signing_region: String,
    transport: Arc<dyn Transport>,
    /// Shared by every call (and clone) of this client.
    retry_quota: RetryQuota,
    /// S3: the regions redirects named for buckets.
    bucket_regions: crate::s3::BucketRegions,
    /// What every request says it comes from ([`user_agent`]).
    user_agent: HeaderValue,
}

impl fmt::Debug for ServiceClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceClient")
            .field("service", &self.inner.service.service_id)
            .field("endpoint", &self.endpoint())
            .field("config", &self.inner.config)
            .finish()
    }
}

/// An operation and the endpoint parameter values it gave (its own and its input's).
type EndpointKey = (&'static str, Vec<(&'static str, Value)>);

/// How many endpoints of operations with parameters of their own a client keeps (botocore
/// caches 100 resolutions); past it, it starts again.
const KEPT_ENDPOINTS: usize = 256;

/// Where a call's requests go, and how they are signed: what the endpoint rules give.
#[derive(Debug)]
struct Target {
    /// The URL, without a trailing slash.
    url: String,
    signing_region: String,
    signing_name: String,
    /// Headers the endpoint asks every request to carry.
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Target {
    /// The endpoint of `service` for `region` (the configuration's, or another one a request
    /// moves to), with the operation's own parameters `params`: from the service's endpoint
    /// rules, else the configured endpoint or `https://{endpoint_prefix}.{region}.{suffix}`.
    fn resolve(
        service: &ServiceInfo,
        config: &Config,
        region: Option<&str>,
        params: &[(&str, Value)],
    ) -> Result<Target, String> {
        let configured = config
            .configured_endpoint(service.service_id)
            .map_err(|error| error.to_string())?;
        let fallback_region = || region.unwrap_or("us-east-1").to_owned();
        let Some(rules) = service.endpoint_rules else {
            let endpoint = configured.unwrap_or_else(|| {
                crate::config::aws_endpoint(&fallback_region(), service.endpoint_prefix)
            });
            return Ok(Target {
                url: endpoint,
                signing_region: fallback_region(),
                signing_name: service.signing_name.to_owned(),
                headers: Vec::new(),
            });
        };
        let rules = rules
            .rule_set()
            .map_err(|error| format!("the crate's endpoint rules do not read: {error}"))?;
        let mut values = crate::endpoint_rules::builtin_values(
            rules,
            region,
            configured.as_deref(),
            config.uses_fips(),
            config.uses_dual_stack(),
            config.forces_path_style(),
        );
        for (name, value) in params {
            values.insert((*name).to_owned(), value.clone());
        }
        let endpoint = rules.resolve(&values).map_err(|error| error.0)?;
        let (signing_region, signing_name) = match endpoint.auth_scheme() {
            AuthScheme::SigV4 {
                signing_region,
                signing_name,
            } => (signing_region, signing_name),
            // No rule set of botocore 1.44.5 gives `none`; the operation's own signing decides.
            AuthScheme::None => (None, None),
            AuthScheme::Unsupported(names) => {
                return Err(format!(
                    "the endpoint {} is signed with {}, which this runtime does not sign with",
                    endpoint.url,
                    names.join(" or ")
                ));
            }
        };
        let mut headers = Vec::new();
        for (name, values) in &endpoint.headers {
            let name = HeaderName::try_from(name.as_str())
                .map_err(|_| format!("the endpoint's header name {name:?} is not one"))?;
            let value = HeaderValue::try_from(values.join(","))
                .map_err(|_| format!("the endpoint's header {name} has a value that is not one"))?;
            headers.push((name, value));
        }
        Ok(Target {
            url: endpoint.url.trim_end_matches('/').to_owned(),
            signing_region: signing_region.unwrap_or_else(fallback_region),
            signing_name: signing_name.unwrap_or_else(|| service.signing_name.to_owned()),
            headers,
        })
    }
}

impl ServiceClient {
    /// A client of `service` made from `config`: its endpoint is resolved now (a rule that
    /// gives none fails each call with its message, as in botocore), and it sends through the
    /// configuration's transport (shared with every other client made from it). Fails without
    /// a region or an endpoint, or with an endpoint that is not an `http` or `https` URL.
    pub fn new(service: &'static ServiceInfo, config: &Config) -> Result<Self, ConfigError> {
        let configured = config.configured_endpoint(service.service_id)?;
        if configured.is_none() && config.get_region().is_none() {
            return Err(ConfigError::NoRegion);
        }
        let transport = config.shared_transport()?;
        let endpoint = Target::resolve(service, config, config.get_region(), &[]).map(Arc::new);
        let signing_region = match &endpoint {
            Ok(target) => target.signing_region.clone(),
            Err(_) => config.get_region().unwrap_or("us-east-1").to_owned(),
        };
        Ok(ServiceClient {
            inner: Arc::new(Inner {
                service,
                signing_region,
                endpoint,
                operation_endpoints: Default::default(),
                custom_endpoint: configured.is_some(),
                transport,
                retry_quota: RetryQuota::new(),
                bucket_regions: crate::s3::BucketRegions::default(),
                user_agent: user_agent(service, config),
                config: config.clone(),
            }),
        })
    }

    /// The configuration the client was made from.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The endpoint requests go to (of the operations that set no endpoint parameters of
    /// their own); empty when the endpoint rules give none, whose message each call then fails
    /// with.
    pub fn endpoint(&self) -> &str {
        match &self.inner.endpoint {
            Ok(target) => &target.url,
            Err(_) => "",
        }
    }

    /// Where `O`'s requests for `input` go: the client's endpoint, or for an operation that
    /// sets endpoint parameters (its own, its input's), the endpoint they give, resolved on the
    /// first call with those values.
    fn target<O: Operation>(&self, input: &O::Input) -> Result<Arc<Target>, Error<O::Error>> {
        let inner = &self.inner;
        let failed = |message: &String| Error::Endpoint {
            operation: O::NAME,
            message: message.clone(),
        };
        if O::ENDPOINT_PARAMS.is_empty() && !O::INPUT_ENDPOINT_PARAMS {
            return inner.endpoint.clone().map_err(|message| failed(&message));
        }
        let mut params: Vec<(&'static str, Value)> = O::ENDPOINT_PARAMS
            .iter()
            .map(|(name, value)| (*name, Value::from(*value)))
            .collect();
        if O::INPUT_ENDPOINT_PARAMS {
            params.extend(O::input_endpoint_params(input));
        }
        let key = (O::NAME, params);
        let known = inner
            .operation_endpoints
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
            .cloned();
        let target = known.unwrap_or_else(|| {
            let (_, params) = &key;
            let target = Target::resolve(
                inner.service,
                &inner.config,
                inner.config.get_region(),
                params,
            )
            .map(Arc::new);
            let mut known = inner
                .operation_endpoints
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if known.len() >= KEPT_ENDPOINTS {
                known.clear();
            }
            known.insert(key, target.clone());
            target
        });
        target.map_err(|message| failed(&message))
    }

    /// The client's own endpoint, for requests of no operation of the model.
    fn own_target(&self) -> Result<Arc<Target>, Error<Infallible>> {
        self.inner
            .endpoint
            .clone()
            .map_err(|message| Error::Endpoint {
                operation: "a request",
                message,
            })
    }

    /// The service the client calls.
    pub fn service(&self) -> &'static ServiceInfo {
        self.inner.service
    }

    /// Validates, serializes, sends (with retries) and decodes one call.
    ///
    /// The future is declared `Send` rather than left to be inferred: a crate calling this for
    /// hundreds of operations then needs no per-operation look into the future's state to
    /// prove it can cross threads, which was a large share of such a crate's build.
    pub fn invoke<O: Operation>(
        &self,
        input: O::Input,
    ) -> impl Future<Output = Result<O::Output, Error<O::Error>>> + Send + '_ {
        self.invoke_inner::<O>(input)
    }

    async fn invoke_inner<O: Operation>(
        &self,
        mut input: O::Input,
    ) -> Result<O::Output, Error<O::Error>> {
        let span = tracing::debug_span!(
            "call",
            service = self.inner.service.service_id,
            operation = O::NAME
        );
        let (response, body, url_encoded) =
            self.call::<O>(&mut input, true).instrument(span).await?;
        drop(input);
        match body {
            Some(body) => O::parse_streaming(&response, body).map_err(Error::Decode),
            None => decode_call::<O>(&response, url_encoded),
        }
    }

    /// The part of a call [`invoke`](Self::invoke) and the `dynamic` calls share: the input
    /// readied as botocore readies it (response checksums asked for, url-encoded keys, a
    /// source-region URL), validated, serialized, sent with retries (and S3's redirects); the
    /// body of a success checked against its checksum, as it streams when `streams` lets an
    /// operation stream it. With the response: its body if still arriving, and whether the
    /// keys were asked for url-encoded (for [`decode_call`]).
    async fn call<O: Operation>(
        &self,
        input: &mut O::Input,
        streams: bool,
    ) -> Result<(HttpResponse, Option<crate::ByteStream>, bool), Error<O::Error>> {
        let checks = self.ask_for_response_checksums::<O>(input);
        let url_encoded = O::default_url_encoding(input);
        let target = self.target::<O>(input)?;
        self.presign_source_region::<O>(input, &target).await?;
        let (request, bucket) = self.prepare_with_bucket::<O>(input, &target)?;
        let output = OutputBody::of::<O>(streams);
        let (response, body) = self
            .attempts_in_bucket_region(request, bucket, O::SIGNING, output, &target)
            .await
            .map_err(|error| error.map_service(|never| match never {}))?;
        let checksum = checks
            .then(|| ResponseChecksum::of(&response, O::RESPONSE_CHECKSUMS))
            .flatten();
        let body = match (body, checksum) {
            (Some(body), Some(checksum)) => Some(checksum.wrap(body)),
            (body, None) => body,
            (None, Some(checksum)) => {
                check_response_checksum(&response, &checksum)?;
                None
            }
        };
        Ok((response, body, url_encoded))
    }

    /// Whether `O`'s response checksums are to be checked: the input asks for them, by the
    /// caller's choice or (unless the configuration says `WhenRequired`) by default.
    fn ask_for_response_checksums<O: Operation>(&self, input: &mut O::Input) -> bool {
        let default = self.inner.config.get_response_checksum_validation()
            == ChecksumValidation::WhenSupported;
        O::ask_for_response_checksums(input, default)
    }

    /// Sends a call of `O` as [`invoke`](Self::invoke) does (S3's redirects to a bucket's
    /// region included) and returns the response whatever its status, undecoded: the `dynamic`
    /// calls decode it into JSON, with [`decode_call`] told whether the call asked for
    /// url-encoded keys.
    #[cfg(feature = "dynamic")]
    pub(crate) async fn respond<O: Operation>(
        &self,
        input: &mut O::Input,
    ) -> Result<(HttpResponse, bool), Error<O::Error>> {
        let (response, _, url_encoded) = self.call::<O>(input, false).await?;
        Ok((response, url_encoded))
    }

    /// Validates (unless the configuration says not to) and serializes an input, addressed to
    /// this client's endpoint.
    pub fn prepare<O: Operation>(
        &self,
        input: &mut O::Input,
    ) -> Result<HttpRequest, Error<O::Error>> {
        let target = self.target::<O>(input)?;
        self.prepare_with_bucket::<O>(input, &target)
            .map(|(request, _)| request)
    }

    /// [`prepare`](Self::prepare) for `target`, and for S3 the bucket the request is for.
    fn prepare_with_bucket<O: Operation>(
        &self,
        input: &mut O::Input,
        target: &Target,
    ) -> Result<(HttpRequest, Option<String>), Error<O::Error>> {
        let builder = self.build::<O>(input)?;
        Ok(self.address(builder, target))
    }

    /// Validates (unless the configuration says not to) and serializes an input, not yet
    /// addressed.
    fn build<O: Operation>(&self, input: &mut O::Input) -> Result<RequestBuilder, Error<O::Error>> {
        if let Some(feature) = O::UNSUPPORTED {
            return Err(Error::Unsupported {
                operation: O::NAME,
                feature,
            });
        }
        O::prepare_input(input);
        if self.inner.config.validates_inputs() {
            input.validate().map_err(Error::InvalidInput)?;
        }
        O::build(input).map_err(Error::Build)
    }

    /// A request finished against `target`, with the headers it asks for and S3's bucket
    /// addressing, and for S3 the bucket it is for.
    fn address(
        &self,
        mut builder: RequestBuilder,
        target: &Target,
    ) -> (HttpRequest, Option<String>) {
        let inner = &self.inner;
        if !inner.config.injects_host_prefix() {
            builder.drop_host_prefix();
        }
        let s3 = inner.service.customization == Customization::S3;
        if s3 && !inner.custom_endpoint && !inner.config.forces_path_style() {
            builder.virtual_host();
        }
        let bucket = builder.bucket_name().map(str::to_owned);
        let mut request = builder.finish(&target.url);
        for (name, value) in &target.headers {
            request.headers.insert(name.clone(), value.clone());
        }
        if !s3 {
            return (request, None);
        }
        crate::s3::sse_customer_keys(&mut request.headers);
        (request, bucket)
    }

    /// Signs (SigV4) and sends a request, retrying throttling, transient and transport failures
    /// while attempts and the retry quota last; the last response is returned whatever its
    /// status.
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error<Infallible>> {
        self.send_signed(request, Signing::SigV4).await
    }

    /// A presigned request of operation `O`: its input validated and serialized as for a call,
    /// then signed in the query string (SigV4) to be valid for `expires_in` (at most seven
    /// days), as boto3's `generate_presigned_url` makes it: the method stays the operation's
    /// (POST for query and ec2, whose parameters move from the form body into the URL), no
    /// checksum is added, and S3's payload is `UNSIGNED-PAYLOAD` while other services sign the
    /// hash of the body left (empty for query and ec2).
    pub async fn presign<O: Operation>(
        &self,
        mut input: O::Input,
        expires_in: std::time::Duration,
    ) -> Result<PresignedRequest, Error<O::Error>> {
        if !crate::sign::is_valid_expiry(expires_in) {
            return Err(Error::Build(crate::error::BuildError::new(
                O::NAME,
                format!("a presigned URL expires within 1 s to 7 days, not {expires_in:?}"),
            )));
        }
        if O::SIGNING == Signing::SigV2 {
            return Err(Error::Build(crate::error::BuildError::new(
                O::NAME,
                "presigning a Signature Version 2 operation is not done",
            )));
        }
        let target = self.target::<O>(&input)?;
        let mut builder = self.build::<O>(&mut input)?;
        builder.presigned();
        let (request, _) = self.address(builder, &target);
        let uri = async {
            let credentials = self.presigning_credentials().await?;
            self.presign_url(
                &request,
                &credentials,
                &target,
                &target.signing_region,
                expires_in,
            )
        }
        .await
        .map_err(|error| error.map_service(|never| match never {}))?;
        Ok(PresignedRequest {
            method: request.method,
            uri,
            headers: request.headers,
        })
    }

    /// A database auth token (RDS's `generate_db_auth_token`, DSQL's
    /// `generate_db_connect_auth_token` and `generate_db_connect_admin_auth_token`): signed
    /// with the client's credentials for the token's region, else the client's; nothing is
    /// sent.
    pub async fn db_auth_token(
        &self,
        token: crate::auth_token::DbAuthToken<'_>,
    ) -> Result<String, Error<Infallible>> {
        let credentials = self.presigning_credentials().await?;
        let region = token.region_or(&self.inner.signing_region);
        token
            .sign(&credentials, region, SystemTime::now())
            .map_err(Error::Credentials)
    }

    /// The `Authorization` value of the service's bearer token ([`BearerAuth`]), when its
    /// requests carry one; an error when the service takes nothing else and no token is found.
    async fn bearer_token(&self) -> Result<Option<HeaderValue>, Error<Infallible>> {
        let (config, service) = (&self.inner.config, self.inner.service);
        let token = match (
            service.bearer,
            config.given_bearer_token(service.signing_name),
        ) {
            (BearerAuth::No, _) | (BearerAuth::WhenGiven, None) => return Ok(None),
            (_, Some(token)) => token,
            (BearerAuth::Only, None) => match config.sso_bearer_token().await {
                Some(token) => token.map_err(|error| {
                    Error::Credentials(error.context(format_args!(
                        "{} takes a bearer token: none in code or in AWS_BEARER_TOKEN_*, and \
                         the profile's SSO session gave none",
                        service.service_id
                    )))
                })?,
                None => {
                    return Err(Error::Credentials(CredentialsError::new(format!(
                        "{} takes a bearer token: give one with Config::bearer_token, or read \
                         the configuration from the environment (AWS_BEARER_TOKEN_*, or a \
                         profile with an sso_session)",
                        service.service_id
                    ))));
                }
            },
        };
        let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
            Error::Credentials(CredentialsError::new(
                "the bearer token is not a valid header value",
            ))
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    /// The credentials a presigned URL is signed with.
    async fn presigning_credentials(
        &self,
    ) -> Result<crate::credentials::Credentials, Error<Infallible>> {
        if self.inner.service.bearer == BearerAuth::Only {
            return Err(Error::Credentials(CredentialsError::new(format!(
                "{} takes bearer tokens, not SigV4: nothing can be presigned for it",
                self.inner.service.service_id
            ))));
        }
        let provider = self.inner.config.get_credentials().ok_or_else(|| {
            Error::Credentials(CredentialsError::new(
                "a presigned URL needs credentials to sign with",
            ))
        })?;
        provider.credentials().await.map_err(Error::Credentials)
    }

    /// `request`'s URL, signed in its query string for `region` and `target`'s service name,
    /// valid for `expires_in`.
    fn presign_url(
        &self,
        request: &HttpRequest,
        credentials: &crate::credentials::Credentials,
        target: &Target,
        region: &str,
        expires_in: std::time::Duration,
    ) -> Result<String, Error<Infallible>> {
        crate::sign::presign_url(
            request,
            credentials,
            region,
            &target.signing_name,
            self.inner.service.customization == Customization::S3,
            expires_in,
            SystemTime::now(),
        )
        .map_err(Error::Credentials)
    }

    /// Fills in the presigned URL of the same call in the source region that `O` is sent with
    /// ([`Operation::cross_region_presign`]), as botocore's `inject_presigned_url_ec2` and
    /// `inject_presigned_url_rds` do: the input's own call, to the source region's endpoint
    /// (an endpoint set in the configuration stays), as a GET whose parameters, the
    /// destination region among them, are in the URL, signed for the source region and valid
    /// for an hour.
    async fn presign_source_region<O: Operation>(
        &self,
        input: &mut O::Input,
        target: &Target,
    ) -> Result<(), Error<O::Error>> {
        let destination = &self.inner.signing_region;
        let Some(cross) = O::cross_region_presign(input, destination) else {
            return Ok(());
        };
        let mut copy = cross.input;
        let mut builder = self.build::<O>(&mut copy)?;
        if let Some(parameter) = cross.destination_parameter {
            builder.form_pair(parameter, destination);
        }
        builder.presigned();
        let (request, _) = self.address(builder, target);
        let url = async {
            let mut request = self.in_region(request, &cross.source, target)?;
            request.method = crate::http::Method::GET;
            let credentials = self.presigning_credentials().await?;
            self.presign_url(
                &request,
                &credentials,
                target,
                &cross.source,
                CROSS_REGION_EXPIRY,
            )
        }
        .await
        .map_err(|error| error.map_service(|never| match never {}))?;
        O::set_presigned_url(input, url);
        Ok(())
    }

    /// [`send`](Self::send), signing as `signing` says.
    pub async fn send_signed(
        &self,
        request: HttpRequest,
        signing: Signing,
    ) -> Result<HttpResponse, Error<Infallible>> {
        let target = self.own_target()?;
        let (response, _) = self
            .attempts(
                request,
                &target.signing_region,
                &target,
                signing,
                OutputBody::Parsed,
            )
            .await?;
        Ok(response)
    }

    /// [`attempts`](Self::attempts) for a request of S3 bucket `bucket`: sent to the region a
    /// redirect named for the bucket, if one did; and when S3 answers that the bucket is in
    /// another region, sent again there, once, signed for it (botocore's
    /// `S3RegionRedirectorv2`; the Rust SDK returns the redirect as an error). An endpoint set
    /// in the configuration stays; only the signing region follows.
    async fn attempts_in_bucket_region(
        &self,
        request: HttpRequest,
        bucket: Option<String>,
        signing: Signing,
        output: OutputBody,
        target: &Target,
    ) -> Result<(HttpResponse, Option<crate::ByteStream>), Error<Infallible>> {
        let inner = &self.inner;
        let Some(bucket) = bucket else {
            return self
                .attempts(request, &target.signing_region, target, signing, output)
                .await;
        };
        let (request, region) = match inner.bucket_regions.get(&bucket) {
            Some(region) if region != target.signing_region => {
                (self.in_region(request, &region, target)?, region)
            }
            _ => (request, target.signing_region.clone()),
        };
        let operation = request.operation;
        let again = request.clone();
        let outcome = self
            .attempts(request, &region, target, signing, output)
            .await?;
        let response = &outcome.0;
        if !is_error(response) {
            return Ok(outcome);
        }
        let code = inner.service.protocol.error_meta(response).code;
        let named = match crate::s3::redirect(operation, &code, response) {
            crate::s3::Redirect::No => return Ok(outcome),
            crate::s3::Redirect::To(named) => named,
            crate::s3::Redirect::Unnamed => {
                match self.ask_bucket_region(&bucket, &region, target).await {
                    Some(named) => named,
                    None => return Ok(outcome),
                }
            }
        };
        if named == region {
            return Ok(outcome);
        }
        tracing::debug!(%bucket, from = %region, to = %named, "the bucket is in another region");
        inner.bucket_regions.learn(&bucket, &named);
        let again = self.in_region(again, &named, target)?;
        self.attempts(again, &named, target, signing, output).await
    }

    /// The region of `bucket` as S3 answers a HeadBucket sent to `region`, whatever the
    /// answer's status (a 301 or 403 carries it too): what botocore asks when a redirect names
    /// no region. `None` when the answer names none, or no answer came.
    async fn ask_bucket_region(
        &self,
        bucket: &str,
        region: &str,
        target: &Target,
    ) -> Option<String> {
        let mut builder = RequestBuilder::new("HeadBucket", crate::http::Method::HEAD);
        builder.path("/");
        builder.label("Bucket", Some(bucket), false).ok()?;
        builder.bucket(Some(bucket));
        let (mut request, _) = self.address(builder, target);
        if region != target.signing_region {
            request = self.in_region(request, region, target).ok()?;
        }
        match self
            .attempts(request, region, target, Signing::SigV4, OutputBody::Parsed)
            .await
        {
            Ok((response, _)) => crate::s3::head_bucket_region(&response),
            Err(error) => {
                tracing::debug!(%bucket, %error, "HeadBucket for the bucket's region failed");
                None
            }
        }
    }

    /// `request`, built for `target`, addressed to the same service in `region` (as the
    /// endpoint rules give it); an endpoint set in the configuration stays as it is.
    fn in_region(
        &self,
        mut request: HttpRequest,
        region: &str,
        target: &Target,
    ) -> Result<HttpRequest, Error<Infallible>> {
        let inner = &self.inner;
        if inner.custom_endpoint {
            return Ok(request);
        }
        let there = Target::resolve(inner.service, &inner.config, Some(region), &[]).map_err(
            |message| Error::Endpoint {
                operation: request.operation,
                message,
            },
        )?;
        if let Some(uri) = crate::s3::readdress(&request.uri, &target.url, &there.url) {
            request.uri = uri;
        }
        Ok(request)
    }

    /// Signs for `region` and `target`'s service name, sends and retries; with [`OutputBody::Streamed`], a success response
    /// comes back with its body still arriving (an error response is read whole, to be
    /// classified and decoded).
    async fn attempts(
        &self,
        mut request: HttpRequest,
        region: &str,
        target: &Target,
        signing: Signing,
        output: OutputBody,
    ) -> Result<(HttpResponse, Option<crate::ByteStream>), Error<Infallible>> {
        let inner = &self.inner;
        let config = &inner.config;
        let service = inner.service;
        let signs = config.signs_requests() && signing != Signing::None;
        let bearer = match signs {
            true => self.bearer_token().await?,
            false => None,
        };
        let credentials = match (signs, config.get_credentials()) {
            (false, _) => None,
            (true, _) if bearer.is_some() => None,
            (true, Some(provider)) => {
                Some(provider.credentials().await.map_err(Error::Credentials)?)
            }
            (true, None) => {
                return Err(Error::Credentials(CredentialsError::new(
                    "no credentials configured: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use a profile, or give them in the config",
                )));
            }
        };
        request
            .headers
            .entry(::http::header::USER_AGENT)
            .or_insert_with(|| inner.user_agent.clone());
        let (request, trailer) = with_stream_checksum(request).await?;
        let mut request = with_upload_hashes(request).await?;
        // A trailed body is signed as its encoding says, never read ahead for its hash.
        let stream_hash = match trailer {
            Some(_) => None,
            None => stream_payload_hash(&mut request, signing, service.customization).await?,
        };
        let retry_config = config.get_retry();
        // A version 4 UUID from the thread's fast generator: an id to tell calls apart needs
        // no system call for randomness.
        let invocation_id =
            uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
        let invocation_id = HeaderValue::from_str(&invocation_id.to_string())
            .expect("a UUID is a valid header value");
        request.headers.insert(INVOCATION_ID, invocation_id);
        recursion_detection(&mut request.headers, |name| std::env::var(name).ok());
        let mut attempt = 1;
        let mut last_retry_cost = None;
        loop {
            let mut signed = request.clone();
            if let Some(algorithm) = trailer {
                signed.body_stream = signed
                    .body_stream
                    .take()
                    .map(|body| crate::aws_chunked::encode(body, algorithm));
            }
            let attempts = format!("attempt={attempt}; max={}", retry_config.max_attempts());
            signed.headers.insert(
                SDK_REQUEST,
                HeaderValue::from_str(&attempts).expect("digits and ASCII"),
            );
            if let Some(token) = &bearer {
                signed
                    .headers
                    .insert(::http::header::AUTHORIZATION, token.clone());
            }
            if let (Some(credentials), Signing::SigV2) = (&credentials, signing) {
                crate::sign::sign_v2(&mut signed, credentials, SystemTime::now())
                    .map_err(Error::Credentials)?;
            } else if let Some(credentials) = &credentials {
                let options = crate::sign::SigningOptions {
                    // A streamed body whose hash is not known goes unsigned.
                    unsigned_payload: trailer.is_none()
                        && (!signs_payload(&signed, signing, service.customization)
                            || (signed.body_stream.is_some() && stream_hash.is_none())),
                    s3: service.customization == Customization::S3,
                    payload_hash: match trailer {
                        Some(_) => Some(crate::aws_chunked::UNSIGNED_TRAILER),
                        None => stream_hash.as_deref(),
                    },
                };
                crate::sign::sign_request(
                    &mut signed,
                    credentials,
                    region,
                    &target.signing_name,
                    options,
                    SystemTime::now(),
                )
                .map_err(Error::Credentials)?;
            }
            let outcome = if output == OutputBody::Streamed {
                send_streaming(&*inner.transport, signed).await
            } else {
                inner
                    .transport
                    .send(signed)
                    .await
                    .map(|response| (response, None))
            };
            #[cfg(feature = "xml")]
            let outcome = outcome.map(|(mut response, body)| {
                if service.customization == Customization::S3
                    && output == OutputBody::Parsed
                    && crate::s3::is_error_in_success(&response)
                {
                    // As botocore: a 500, so retried and then read as the error it is.
                    response.status = 500;
                }
                (response, body)
            });
            // DynamoDB: a body that is not the one the service sent is retried, never decoded.
            let corrupt = match &outcome {
                Ok((response, None)) if service.customization == Customization::DynamoDb => {
                    crate::checksum::crc32_header_mismatch(response)
                }
                _ => None,
            };
            let retryable = corrupt.is_some()
                || match &outcome {
                    Ok((response, _)) if is_error(response) => {
                        let meta = service.protocol.error_meta(response);
                        retry::is_retryable_response(
                            response.status,
                            &meta.code,
                            service.retryable_codes,
                        )
                    }
                    Ok(_) => false,
                    Err(_) => true,
                };
            match &outcome {
                Ok((response, _)) => {
                    tracing::debug!(attempt, status = response.status, "response")
                }
                Err(error) => tracing::debug!(attempt, %error, "no response"),
            }
            if retry_config.has_quota()
                && matches!(&outcome, Ok((response, _)) if !is_error(response))
            {
                inner.retry_quota.release(last_retry_cost);
            }
            let after_timeout =
                matches!(&outcome, Err(error) if error.kind() == TransportErrorKind::Timeout);
            let mut retry = retryable && attempt < retry_config.max_attempts();
            if retry && retry_config.has_quota() {
                last_retry_cost = inner.retry_quota.acquire(after_timeout);
                if last_retry_cost.is_none() {
                    tracing::debug!(attempt, "retry quota exhausted");
                    retry = false;
                }
            }
            if !retry {
                if let (Some(mismatch), Ok((response, _))) = (corrupt, &outcome) {
                    return Err(Error::Decode(DecodeError::new(response, mismatch)));
                }
                return outcome.map_err(|error| match error.kind() {
                    TransportErrorKind::Timeout => Error::Timeout(error),
                    _ => Error::Transport(error),
                });
            }
            let wait = retry_config.backoff(attempt, fastrand::f64());
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}

/// One id for every attempt of a call, as botocore's `add_retry_headers` sends it: the service
/// can tell a retry from a new call.
const INVOCATION_ID: HeaderName = HeaderName::from_static("amz-sdk-invocation-id");

/// Which attempt this is, of how many: `attempt=2; max=3`.
const SDK_REQUEST: HeaderName = HeaderName::from_static("amz-sdk-request");

/// The header that carries a Lambda invocation's trace id.
const TRACE_ID: HeaderName = HeaderName::from_static("x-amzn-trace-id");

/// Characters botocore's recursion detection keeps as they are in a trace id, beside letters,
/// digits and `_.-~` (`quote(trace_id, safe='-=;:+&[]{}"\',')`).
const TRACE_ID_KEEPS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~')
    .remove(b'=')
    .remove(b';')
    .remove(b':')
    .remove(b'+')
    .remove(b'&')
    .remove(b'[')
    .remove(b']')
    .remove(b'{')
    .remove(b'}')
    .remove(b'"')
    .remove(b'\'')
    .remove(b',');

/// Inside a Lambda function (`AWS_LAMBDA_FUNCTION_NAME`), the invocation's trace id
/// (`_X_AMZN_TRACE_ID`, new for each invocation, so read for each call) goes in
/// `X-Amzn-Trace-Id` unless the request has one, so that AWS can stop a function that calls
/// itself without end (botocore's `add_recursion_detection_header`, the SDKs' recursion
/// detection).
fn recursion_detection(
    headers: &mut crate::http::HeaderMap,
    variable: impl Fn(&str) -> Option<String>,
) {
    if headers.contains_key(TRACE_ID) || variable("AWS_LAMBDA_FUNCTION_NAME").is_none() {
        return;
    }
    let Some(trace_id) = variable("_X_AMZN_TRACE_ID").filter(|id| !id.is_empty()) else {
        return;
    };
    let encoded = percent_encoding::utf8_percent_encode(&trace_id, TRACE_ID_KEEPS).to_string();
    if let Ok(value) = HeaderValue::from_str(&encoded) {
        headers.insert(TRACE_ID, value);
    }
}

/// Sends through `transport`, the body of a success left arriving and that of an error read
/// whole (the retry decision and the error's decoding need it).
async fn send_streaming(
    transport: &dyn Transport,
    request: HttpRequest,
) -> Result<(HttpResponse, Option<crate::ByteStream>), crate::http::TransportError> {
    let streamed = transport.send_streaming(request).await?;
    let mut response = streamed.head;
    if !is_error(&response) {
        return Ok((response, Some(streamed.body)));
    }
    response.body = streamed
        .body
        .collect()
        .await
        .map_err(|error| crate::http::TransportError::new(TransportErrorKind::Io, error))?;
    Ok((response, None))
}

/// A `Decode` error when a success's body, read whole, does not have its `checksum`. As in
/// botocore, such a body is not sent for again.
fn check_response_checksum<E>(
    response: &HttpResponse,
    checksum: &ResponseChecksum,
) -> Result<(), Error<E>> {
    if is_error(response) {
        return Ok(());
    }
    checksum
        .check(&response.body)
        .map_err(|mismatch| Error::Decode(DecodeError::new(response, mismatch)))
}

/// A response with this status is an error (botocore and smithy agree on 300 and up).
pub fn is_error(response: &HttpResponse) -> bool {
    response.status >= 300
}

/// Decodes a response into the operation's output or error.
pub fn decode<O: Operation>(response: &HttpResponse) -> Result<O::Output, Error<O::Error>> {
    if is_error(response) {
        let meta = O::SERVICE.protocol.error_meta(response);
        let error = O::parse_error(&meta, response).map_err(Error::Decode)?;
        return Err(Error::Service { error, meta });
    }
    O::parse(response).map_err(Error::Decode)
}

/// Decodes the response of a call, the output's keys when the call asked for them url-encoded
/// ([`Operation::default_url_encoding`]), and mends it ([`Operation::finish_output`]).
pub(crate) fn decode_call<O: Operation>(
    response: &HttpResponse,
    url_encoded: bool,
) -> Result<O::Output, Error<O::Error>> {
    let mut output = decode::<O>(response)?;
    if url_encoded {
        O::decode_url_encoding(&mut output);
    }
    O::finish_output(&mut output);
    Ok(output)
}

/// `digest` fed the request's streamed body, read once ahead of sending; `None` when there is
/// no streamed body, or it comes from a reader, which cannot be read twice. A read that fails
/// is a `Build` error naming what the body was read for (`purpose`). `request` is `&mut` only
/// so that the future is `Send` (a stream is not `Sync`).
async fn read_stream_ahead<D: crate::stream::Digest>(
    request: &mut HttpRequest,
    digest: D,
    purpose: &str,
) -> Result<Option<D>, Error<Infallible>> {
    // The future owns what it reads: one borrowing the stream would not be `Send`.
    let Some(reading) = request
        .body_stream
        .as_ref()
        .map(|stream| stream.digest(digest))
    else {
        return Ok(None);
    };
    reading.await.transpose().map_err(|error| {
        Error::Build(BuildError::new(
            request.operation,
            format!("the body could not be read for {purpose}: {error}"),
        ))
    })
}

/// Gives a streamed body its flexible checksum as botocore does: over HTTPS as an
/// `aws-chunked` trailer (the algorithm returned, for each attempt to encode the body with it);
/// over plain HTTP, where the trailer's unsigned payload is not used, as a header, the body read
/// once ahead for it, only where the caller chose the algorithm. A reader, which cannot be read
/// twice, is refused there before anything is sent.
async fn with_stream_checksum(
    mut request: HttpRequest,
) -> Result<(HttpRequest, Option<ChecksumAlgorithm>), Error<Infallible>> {
    let Some(checksum) = request.stream_checksum.take() else {
        return Ok((request, None));
    };
    if request.body_stream.is_none() {
        return Ok((request, None));
    }
    let https = !is_plain_http(&request);
    if !https && !checksum.chosen {
        return Ok((request, None));
    }
    let algorithm = checksum.algorithm;
    if let Some(header) = checksum.algorithm_header {
        request.headers.insert(
            ::http::HeaderName::from_static(header),
            ::http::HeaderValue::from_static(algorithm.name()),
        );
    }
    if https {
        crate::aws_chunked::set_headers(&mut request, algorithm);
        return Ok((request, Some(algorithm)));
    }
    let purpose = format!("its {} checksum", algorithm.name());
    let Some(running) = read_stream_ahead(&mut request, algorithm.start(), &purpose).await? else {
        return Err(Error::Build(BuildError::new(
            request.operation,
            format!(
                "a {} checksum of a body read from a reader over plain HTTP would need it read \
                 twice: give the body as a file or bytes, send it over HTTPS, or compute the \
                 checksum and set its member",
                algorithm.name()
            ),
        )));
    };
    let value =
        ::http::HeaderValue::from_str(&running.finish()).expect("base64 is a valid header value");
    request
        .headers
        .insert(::http::HeaderName::from_static(algorithm.header()), value);
    Ok((request, None))
}

/// Adds Glacier's upload hashes ([`crate::glacier`]) when the request asks for them, reading
/// a streamed body once for them; a reader, which cannot be read twice, is refused before
/// anything is sent, as botocore refuses a body it cannot seek.
async fn with_upload_hashes(mut request: HttpRequest) -> Result<HttpRequest, Error<Infallible>> {
    if !std::mem::take(&mut request.upload_hashes) {
        return Ok(request);
    }
    let hashes = if request.body_stream.is_none() {
        crate::glacier::UploadHashes::of(&request.body)
    } else {
        let hashes = crate::glacier::UploadHashes::default();
        match read_stream_ahead(&mut request, hashes, "its SHA-256 tree hash").await? {
            Some(hashes) => hashes.finish(),
            None => {
                return Err(Error::Build(BuildError::new(
                    request.operation,
                    "the SHA-256 and tree hash of a body read from a reader would need it read \
                     twice: give the body as a file or bytes",
                )));
            }
        }
    };
    crate::glacier::set_headers(&mut request, hashes);
    Ok(request)
}

/// The request goes over plain HTTP, not TLS: what botocore's choices of payload signing and
/// checksum trailers turn on.
fn is_plain_http(request: &HttpRequest) -> bool {
    request
        .uri
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
}

/// The `User-Agent` of a service's requests, in the SDKs' user agent 2.1 form (botocore sends
/// one too): this runtime and its version, the service (its generated crate is versioned with
/// the runtime), the operating system, the language and the architecture, then the
/// application's id when one is set ([`Config::app_id`], `AWS_SDK_UA_APP_ID`, the profile's
/// `sdk_ua_app_id`), as botocore adds `app/`. Characters the form does not allow become `-`.
fn user_agent(service: &ServiceInfo, config: &Config) -> HeaderValue {
    user_agent_of(Some(service.service_id), config.get_app_id())
}

/// The `User-Agent` of [`user_agent`], naming the service (`api/`) and the application
/// (`app/`) when given: the credential sources' calls (STS, SSO, container and instance
/// metadata endpoints) name neither, as they serve every service.
pub(crate) fn user_agent_of(service_id: Option<&str>, app_id: Option<&str>) -> HeaderValue {
    let token = |text: &str| -> String {
        text.chars()
            .map(|c| match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' => c,
                '!' | '$' | '%' | '&' | '\'' | '*' | '+' | '-' | '.' | '^' | '_' | '`' | '|'
                | '~' => c,
                _ => '-',
            })
            .collect()
    };
    let version = env!("CARGO_PKG_VERSION");
    let mut text = format!("botocore-runtime/{version} ua/2.1");
    if let Some(service_id) = service_id {
        let api = token(&service_id.to_ascii_lowercase().replace(' ', "-"));
        text.push_str(&format!(" api/{api}#{version}"));
    }
    text.push_str(&format!(
        " os/{} lang/rust md/arch#{}",
        token(std::env::consts::OS),
        token(std::env::consts::ARCH),
    ));
    if let Some(app) = app_id {
        text.push_str(" app/");
        text.push_str(&token(&app.chars().take(50).collect::<String>()));
    }
    HeaderValue::from_str(&text).expect("the user agent is made of header-safe characters")
}

/// Whether `request`'s payload is signed with its hash rather than `UNSIGNED-PAYLOAD`, as
/// botocore decides: S3's always over plain HTTP (its signer's `_should_sha256_sign_payload`),
/// a body held in memory over HTTPS, a stream never; other services' unless the operation is
/// `v4-unsigned-body`, whose `UNSIGNED-PAYLOAD` botocore sets before signing, whatever the
/// scheme. (A stream is signed only when its hash can be had: see [`stream_payload_hash`].)
fn signs_payload(request: &HttpRequest, signing: Signing, customization: Customization) -> bool {
    let s3 = customization == Customization::S3;
    let plain_http = is_plain_http(request);
    match signing {
        Signing::None | Signing::SigV2 => false,
        _ if s3 && plain_http => true,
        Signing::SigV4UnsignedPayload => false,
        Signing::SigV4 => !(s3 && request.body_stream.is_some()),
    }
}

/// The SHA-256 (hex) a streamed body is signed with, where [`signs_payload`] says it is: the
/// `x-amz-content-sha256` already set (Glacier's uploads), else the body read once for it.
/// `None`, for the body to go `UNSIGNED-PAYLOAD`, where it is not, and for a reader, which
/// cannot be read twice (as the SDKs send a stream they cannot read ahead).
async fn stream_payload_hash(
    request: &mut HttpRequest,
    signing: Signing,
    customization: Customization,
) -> Result<Option<String>, Error<Infallible>> {
    if request.body_stream.is_none() || !signs_payload(request, signing, customization) {
        return Ok(None);
    }
    if let Some(hash) = request.headers.get(crate::glacier::CONTENT_SHA256) {
        return Ok(hash.to_str().ok().map(str::to_owned));
    }
    let purpose = "its SHA-256, which the request is signed with";
    let hash = read_stream_ahead(request, sha2::Sha256::default(), purpose).await?;
    Ok(hash.map(|hash| hex::encode(sha2::Digest::finalize(hash))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::RequestBuilder;

    /// An operation's own endpoint parameter and its input's choose its endpoint and signing
    /// name, resolved once per value; other calls go to the client's endpoint.
    #[tokio::test]
    async fn an_input_s_endpoint_parameters_choose_its_endpoint() {
        static RULES: EndpointRules = EndpointRules::new(
            r#"{"version": "1.0", "parameters": {
                "Region": {"type": "String", "builtIn": "AWS::Region"},
                "Stream": {"type": "String"},
                "Mode": {"type": "String", "default": "control"}},
              "rules": [
                {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Stream"}]}],
                 "endpoint": {"url": "https://{Stream}.{Mode}.{Region}.example.com",
                   "properties": {"authSchemes": [{"name": "sigv4", "signingName": "streams"}]}}},
                {"type": "endpoint", "conditions": [],
                 "endpoint": {"url": "https://{Mode}.{Region}.example.com"}}]}"#,
        );
        static SERVICE: ServiceInfo = ServiceInfo {
            service_id: "Streams",
            endpoint_prefix: "streams",
            signing_name: "model",
            retryable_codes: &[],
            protocol: &crate::protocol::rest_json::RestJson,
            customization: Customization::None,
            bearer: BearerAuth::No,
            endpoint_rules: Some(&RULES),
        };
        #[derive(Debug, Default)]
        struct Input {
            stream: Option<String>,
        }
        impl Validate for Input {
            fn check(
                &self,
                _path: &crate::validate::Path<'_>,
                _validator: &mut crate::validate::Validator,
            ) {
            }
        }
        #[derive(Debug)]
        struct Never;
        impl fmt::Display for Never {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("never")
            }
        }
        impl OperationError for Never {
            fn code(&self) -> &str {
                ""
            }
            fn message(&self) -> Option<&str> {
                None
            }
        }
        struct Describe;
        impl Operation for Describe {
            const NAME: &'static str = "Describe";
            const SERVICE: &'static ServiceInfo = &SERVICE;
            const ENDPOINT_PARAMS: &'static [(&'static str, StaticParam)] =
                &[("Mode", StaticParam::String("data"))];
            const INPUT_ENDPOINT_PARAMS: bool = true;
            type Input = Input;
            type Output = ();
            type Error = Never;
            fn input_endpoint_params(input: &Input) -> Vec<(&'static str, Value)> {
                let stream = input.stream.clone().map(Value::String);
                stream
                    .map(|stream| ("Stream", stream))
                    .into_iter()
                    .collect()
            }
            fn build(_input: &mut Input) -> Result<RequestBuilder, BuildError> {
                let mut builder = RequestBuilder::new("Describe", crate::http::Method::POST);
                builder.path("/describe");
                Ok(builder)
            }
            fn parse(_response: &HttpResponse) -> Result<(), DecodeError> {
                Ok(())
            }
            fn parse_error(
                _meta: &ErrorMeta,
                _response: &HttpResponse,
            ) -> Result<Never, DecodeError> {
                Ok(Never)
            }
        }
        let config = Config::new()
            .region("eu-west-1")
            .credentials(crate::credentials::Credentials::new("AKID", "secret", None));
        let client = ServiceClient::new(&SERVICE, &config).unwrap();
        assert_eq!(client.endpoint(), "https://control.eu-west-1.example.com");
        let uri = |stream: Option<&str>| {
            let mut input = Input {
                stream: stream.map(str::to_owned),
            };
            client.prepare::<Describe>(&mut input).unwrap().uri
        };
        assert_eq!(
            uri(Some("s1")),
            "https://s1.data.eu-west-1.example.com/describe"
        );
        assert_eq!(
            uri(Some("s2")),
            "https://s2.data.eu-west-1.example.com/describe"
        );
        assert_eq!(uri(None), "https://data.eu-west-1.example.com/describe");
        assert_eq!(
            uri(Some("s1")),
            "https://s1.data.eu-west-1.example.com/describe"
        );
        assert_eq!(client.inner.operation_endpoints.read().unwrap().len(), 3);
        let presigned = client
            .presign::<Describe>(
                Input {
                    stream: Some("s1".into()),
                },
                std::time::Duration::from_secs(60),
            )
            .await
            .unwrap();
        assert!(
            presigned
                .uri
                .contains("%2Feu-west-1%2Fstreams%2Faws4_request"),
            "signed for the endpoint's name: {}",
            presigned.uri
        );
    }

    /// The user agent names the runtime, the service, the platform and, when set, the
    /// application, its characters kept to those the form allows.
    #[test]
    fn requests_say_who_sends_them() {
        static SERVICE: ServiceInfo = ServiceInfo {
            service_id: "Bedrock Runtime",
            endpoint_prefix: "bedrock-runtime",
            signing_name: "bedrock",
            retryable_codes: &[],
            protocol: &crate::protocol::rest_json::RestJson,
            customization: Customization::None,
            bearer: BearerAuth::WhenGiven,
            endpoint_rules: None,
        };
        let platform = format!(
            "os/{} lang/rust md/arch#{}",
            std::env::consts::OS,
            std::env::consts::ARCH
        );
        let version = env!("CARGO_PKG_VERSION");
        let expected =
            format!("botocore-runtime/{version} ua/2.1 api/bedrock-runtime#{version} {platform}");
        assert_eq!(user_agent(&SERVICE, &Config::new()), expected.as_str());
        let named = Config::new().app_id("billing app/2 é");
        assert_eq!(
            user_agent(&SERVICE, &named),
            format!("{expected} app/billing-app-2--").as_str()
        );
        assert_eq!(
            user_agent_of(None, None),
            format!("botocore-runtime/{version} ua/2.1 {platform}").as_str()
        );
        let long = Config::new().app_id("x".repeat(80));
        let text = user_agent(&SERVICE, &long);
        assert!(
            text.to_str()
                .unwrap()
                .ends_with(&format!(" app/{}", "x".repeat(50)))
        );
    }

    #[test]
    fn a_lambda_invocation_s_trace_id_goes_with_the_request() {
        let lambda = |trace_id: &'static str| {
            move |name: &str| match name {
                "AWS_LAMBDA_FUNCTION_NAME" => Some("my-function".to_owned()),
                "_X_AMZN_TRACE_ID" => Some(trace_id.to_owned()),
                _ => None,
            }
        };
        // As botocore's `quote(trace_id, safe=...)` gives it (checked with Python).
        let mut headers = crate::http::HeaderMap::new();
        recursion_detection(
            &mut headers,
            lambda(
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1 \u{e9}\n",
            ),
        );
        assert_eq!(
            headers.get(TRACE_ID).unwrap(),
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1%20%C3%A9%0A"
        );
        // A trace id the caller set stays; outside Lambda, or without a trace id, none is added.
        let mut headers = crate::http::HeaderMap::new();
        headers.insert(TRACE_ID, HeaderValue::from_static("mine"));
        recursion_detection(&mut headers, lambda("Root=other"));
        assert_eq!(headers.get(TRACE_ID).unwrap(), "mine");
        let mut headers = crate::http::HeaderMap::new();
        recursion_detection(&mut headers, |name| {
            (name == "_X_AMZN_TRACE_ID").then(|| "Root=1".to_owned())
        });
        recursion_detection(&mut headers, lambda(""));
        assert!(headers.is_empty());
    }

    /// botocore 1.44.8's `upload_archive` of [`glacier_body`] to `examplevault` (described as
    /// `my archive`) in us-west-2, with `AKIDEXAMPLE`/`secret` and its clock at
    /// 2024-01-02T03:04:05Z, signed `host;x-amz-archive-description;x-amz-content-sha256;
    /// x-amz-date;x-amz-glacier-version;x-amz-sha256-tree-hash` with this signature.
    const BOTOCORE_GLACIER_SIGNATURE: &str =
        "09a30681e7ecf975b735abf8386b3e3b13efaee1c4a07a1b23454486ae8e8d72";
    const GLACIER_SHA256: &str = "72bcf8fa6c73c0a650f5c83f47e54290ba2fe60ac6cb0d8fe5b0a41dd57a0844";
    const GLACIER_TREE_HASH: &str =
        "3123aa01ebcf47b74ddc6f0efd82c0e6680203b476c4d20c26a0c60a5b4a8181";

    /// Three 1 MiB pieces, the last of one byte.
    fn glacier_body() -> Vec<u8> {
        (0..2 * 1024 * 1024 + 1).map(|i| (i % 251) as u8).collect()
    }

    /// UploadArchive as the generated Glacier crate builds it, of `body`.
    fn glacier_upload(body: crate::ByteStream, tree_hash: Option<&str>) -> HttpRequest {
        let mut request = RequestBuilder::new("UploadArchive", crate::http::Method::POST);
        request.path("/-/vaults/examplevault/archives");
        request
            .header("x-amz-archive-description", Some("my archive"))
            .unwrap();
        request.header("x-amz-sha256-tree-hash", tree_hash).unwrap();
        request.set_header(
            "x-amz-glacier-version",
            HeaderValue::from_static("2012-06-01"),
        );
        request.upload_hashes();
        request.stream_body(body, None);
        request.finish("https://glacier.us-west-2.amazonaws.com")
    }

    /// The hashes added, then the request signed as the client signs it at botocore's time.
    async fn hash_and_sign(request: HttpRequest) -> HttpRequest {
        let mut request = with_upload_hashes(request).await.unwrap();
        let hash = stream_payload_hash(&mut request, Signing::SigV4, Customization::None)
            .await
            .unwrap();
        // botocore signs before its HTTP stack sets the length.
        request.headers.remove(::http::header::CONTENT_LENGTH);
        let options = crate::sign::SigningOptions {
            unsigned_payload: request.body_stream.is_some() && hash.is_none(),
            s3: false,
            payload_hash: hash.as_deref(),
        };
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_704_164_645);
        let credentials = crate::credentials::Credentials::new("AKIDEXAMPLE", "secret", None);
        crate::sign::sign_request(
            &mut request,
            &credentials,
            "us-west-2",
            "glacier",
            options,
            time,
        )
        .unwrap();
        request
    }

    /// A Glacier upload streamed from a file, or held in memory, goes with its SHA-256 and tree
    /// hash and is signed with the first, exactly as botocore signs it.
    #[tokio::test]
    async fn a_glacier_upload_is_hashed_and_signed_as_botocore_does_it() {
        let path = std::env::temp_dir().join(format!("glacier-body-{}", std::process::id()));
        std::fs::write(&path, glacier_body()).unwrap();
        let file = crate::ByteStream::from_path(&path).await.unwrap();
        for body in [file, crate::ByteStream::from_bytes(glacier_body())] {
            let streamed = body.as_bytes().is_none();
            let request = hash_and_sign(glacier_upload(body, None)).await;
            assert_eq!(request.body_stream.is_some(), streamed);
            assert_eq!(request.headers["x-amz-content-sha256"], GLACIER_SHA256);
            assert_eq!(request.headers["x-amz-sha256-tree-hash"], GLACIER_TREE_HASH);
            let authorization = request.headers["authorization"].to_str().unwrap();
            assert!(
                authorization.ends_with(&format!("Signature={BOTOCORE_GLACIER_SIGNATURE}")),
                "{authorization}"
            );
        }
        std::fs::remove_file(&path).unwrap();
    }

    /// A tree hash the caller gives (the `checksum` member) goes as given; a body from a
    /// reader, which cannot be read twice, is refused before anything is sent.
    #[tokio::test]
    async fn a_glacier_upload_keeps_a_given_tree_hash_and_refuses_a_reader() {
        let request = glacier_upload(crate::ByteStream::from_bytes(glacier_body()), Some("beef"));
        let request = hash_and_sign(request).await;
        assert_eq!(request.headers["x-amz-sha256-tree-hash"], "beef");
        assert_eq!(request.headers["x-amz-content-sha256"], GLACIER_SHA256);

        let reader = crate::ByteStream::from_reader(&b"abc"[..], Some(3));
        let error = with_upload_hashes(glacier_upload(reader, None))
            .await
            .unwrap_err();
        assert!(error.to_string().contains("read twice"), "{error}");
    }

    /// Any other service's streamed body from a file is signed with its SHA-256, as botocore
    /// signs it; S3's, an unsigned-body operation's and a reader's go `UNSIGNED-PAYLOAD`.
    #[tokio::test]
    async fn a_streamed_body_is_signed_with_its_hash_where_botocore_signs_it() {
        let path = std::env::temp_dir().join(format!("streamed-body-{}", std::process::id()));
        std::fs::write(&path, b"hello").unwrap();
        let streamed = |body: crate::ByteStream| {
            let mut request = RequestBuilder::new("InvokeAsync", crate::http::Method::POST);
            request.path("/2014-11-13/functions/f/invoke-async/");
            request.stream_body(body, None);
            request.finish("https://lambda.us-east-1.amazonaws.com")
        };
        let file = crate::ByteStream::from_path(&path).await.unwrap();
        let hash = |mut request: HttpRequest, signing, customization| async move {
            stream_payload_hash(&mut request, signing, customization)
                .await
                .unwrap()
        };
        let sha256_of_hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        assert_eq!(
            hash(streamed(file.clone()), Signing::SigV4, Customization::None)
                .await
                .as_deref(),
            Some(sha256_of_hello)
        );
        for (signing, customization) in [
            (Signing::SigV4, Customization::S3),
            (Signing::SigV4UnsignedPayload, Customization::None),
        ] {
            assert_eq!(
                hash(streamed(file.clone()), signing, customization).await,
                None
            );
            // Over plain HTTP botocore's S3 signer signs them; other services' unsigned-body
            // operations stay unsigned.
            let mut insecure = streamed(file.clone());
            insecure.uri = insecure.uri.replacen("https://", "http://", 1);
            let expected = (customization == Customization::S3).then_some(sha256_of_hello);
            assert_eq!(
                hash(insecure, signing, customization).await.as_deref(),
                expected
            );
        }
        let reader = crate::ByteStream::from_reader(&b"hello"[..], Some(5));
        assert_eq!(
            hash(streamed(reader), Signing::SigV4, Customization::None).await,
            None
        );
        std::fs::remove_file(&path).unwrap();
    }
}
