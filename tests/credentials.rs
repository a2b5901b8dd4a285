//! Credentials and region as AWS users have them: every source of the default chain against
//! servers these tests start on 127.0.0.1 (instance metadata, a container endpoint, an SSO
//! portal and its OIDC endpoint, a fake STS) or against moto (STS), `credential_process` with
//! a script the test writes, the cache's refresh under load, and the secrets kept out of
//! `Debug`, `Display` and logs.
//!
//! Every test reads a fixed environment (`Env::from_vars`) with its own home directory, never
//! the process's, and disables instance metadata unless it points it at its own server.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use botocore_runtime::client::{BearerAuth, ServiceClient, ServiceInfo};
use botocore_runtime::credentials::{
    Credentials, DefaultCredentialsChain, Env, ProvideCredentials, SharedCredentialsProvider,
};
use botocore_runtime::error::CredentialsError;
use botocore_runtime::http::{
    BoxFuture, HeaderMap, HeaderValue, HttpRequest, HttpResponse, Method, ReqwestTransport,
    Timeouts, Transport, TransportError,
};
use botocore_runtime::protocol::rest_json::RestJson;
use botocore_runtime::{Bytes, Config};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

// ---- A local HTTP/1.1 server answering each request with a handler ----

/// One request as the server read it.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    /// Path and query.
    path: String,
    /// Names lower-cased.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the server answers; `None` stalls: the connection stays open and silent.
type Reply = Option<(u16, String)>;

type Handler = Arc<dyn Fn(Request) -> Pin<Box<dyn Future<Output = Reply> + Send>> + Send + Sync>;

struct Server {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// A server answering with `handle`.
    async fn start(handle: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let handle = Arc::new(handle);
        Server::start_async(Arc::new(move |request: Request| {
            let reply = handle(&request);
            Box::pin(async move { reply })
        }))
        .await
    }

    async fn start_async(handler: Handler) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let handler = handler.clone();
                let seen = seen.clone();
                tokio::spawn(async move { serve(stream, handler, seen).await });
            }
        });
        Server { url, requests }
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, handler: Handler, seen: Arc<Mutex<Vec<Request>>>) {
    loop {
        let Some(request) = read_request(&mut stream).await else {
            return;
        };
        seen.lock().unwrap().push(request.clone());
        let Some((status, body)) = handler(request).await else {
            tokio::time::sleep(Duration::from_secs(60)).await;
            return;
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\n\r\n",
            body.len()
        );
        if stream.write_all(head.as_bytes()).await.is_err()
            || stream.write_all(body.as_bytes()).await.is_err()
        {
            return;
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(Request {
        method,
        path,
        headers,
        body,
    })
}

// ---- Homes, environments, documents ----

/// A home directory with `~/.aws/config` and `~/.aws/credentials`.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new(config: &str, credentials: &str) -> Home {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::create_dir_all(dir.path().join(".aws/sso/cache")).expect("~/.aws");
        std::fs::write(dir.path().join(".aws/config"), config).expect("config");
        std::fs::write(dir.path().join(".aws/credentials"), credentials).expect("credentials");
        Home { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `HOME` and the files, instance metadata disabled, then `vars` (which may undo that).
    fn env(&self, vars: &[(&str, &str)]) -> Env {
        let mut all: BTreeMap<String, String> = BTreeMap::new();
        all.insert("HOME".into(), self.path().display().to_string());
        all.insert("AWS_EC2_METADATA_DISABLED".into(), "true".into());
        for (name, value) in vars {
            all.insert((*name).into(), (*value).into());
        }
        Env::from_vars(all)
    }
}

/// An RFC 3339 time `offset` from now (negative: in the past).
fn rfc3339(offset_seconds: i64) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let time =
        botocore_runtime::time_types::OffsetDateTime::from_unix_timestamp(now + offset_seconds)
            .unwrap();
    botocore_runtime::time::format_iso8601(&time)
}

/// The JSON document container endpoints and instance metadata serve.
fn credentials_document(id: &str, secret: &str, token: &str, expires_in: i64) -> String {
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": id,
        "SecretAccessKey": secret,
        "Token": token,
        "Expiration": rfc3339(expires_in),
    })
    .to_string()
}

async fn resolve(chain: DefaultCredentialsChain) -> Result<Credentials, CredentialsError> {
    chain.provide_credentials().await
}

// ---- Instance metadata ----

/// An IMDSv2-only endpoint: tokenless reads are refused (401), `role-a`'s credentials are
/// served with a fresh key and `lifetime` seconds to live on every fetch, counted.
async fn imds_server(lifetime: i64) -> (Server, Arc<AtomicUsize>) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counted = fetches.clone();
    let server = Server::start(move |request| {
        if request.method == "PUT" && request.path == "/latest/api/token" {
            let ttl = request.header("x-aws-ec2-metadata-token-ttl-seconds");
            return Some(match ttl {
                Some("21600") => (200, "TOKEN-imds-session".into()),
                _ => (400, String::new()),
            });
        }
        if request.header("x-aws-ec2-metadata-token") != Some("TOKEN-imds-session") {
            return Some((401, String::new()));
        }
        Some(match request.path.as_str() {
            "/latest/meta-data/iam/security-credentials/" => (200, "role-a\n".into()),
            "/latest/meta-data/iam/security-credentials/role-a" => {
                let number = counted.fetch_add(1, Ordering::SeqCst) + 1;
                let document = credentials_document(
                    &format!("ASIAIMDS{number}"),
                    "SECRET-imds-key",
                    "SECRET-imds-session-token",
                    lifetime,
                );
                (200, document)
            }
            "/latest/meta-data/placement/region" => (200, "eu-central-1".into()),
            _ => (404, String::new()),
        })
    })
    .await;
    (server, fetches)
}

fn imds_env(home: &Home, server: &Server, extra: &[(&str, &str)]) -> Env {
    let mut vars = vec![
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str()),
    ];
    vars.extend_from_slice(extra);
    home.env(&vars)
}

#[tokio::test]
async fn imds_v2_token_then_role_then_credentials_and_region() {
    let home = Home::new("", "");
    let (server, _) = imds_server(3600).await;
    let env = imds_env(&home, &server, &[]);
    let credentials = resolve(DefaultCredentialsChain::new().env(env.clone()))
        .await
        .expect("credentials from instance metadata");
    assert_eq!(credentials.access_key_id(), "ASIAIMDS1");
    assert_eq!(credentials.secret_access_key(), "SECRET-imds-key");
    assert!(credentials.expiry().is_some());
    let calls: Vec<String> = server
        .requests()
        .iter()
        .map(|request| format!("{} {}", request.method, request.path))
        .collect();
    assert_eq!(
        calls,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/role-a",
        ]
    );

    // The region the same way, when neither the environment nor the profile sets one.
    let config = Config::loader().env(env).load().await.expect("config");
    assert_eq!(config.get_region(), Some("eu-central-1"));
    let with_region = Config::loader()
        .env(imds_env(&home, &server, &[("AWS_REGION", "ap-south-1")]))
        .load()
        .await
        .expect("config");
    assert_eq!(with_region.get_region(), Some("ap-south-1"));
}

#[tokio::test]
async fn imds_v1_is_used_only_where_tokens_are_not_served_and_v1_is_allowed() {
    let home = Home::new("", "");
    // An endpoint without tokens (404 on PUT), serving tokenless reads.
    let server = Server::start(|request| {
        Some(match (request.method.as_str(), request.path.as_str()) {
            ("PUT", _) => (404, String::new()),
            (_, "/latest/meta-data/iam/security-credentials/") => (200, "old-role".into()),
            (_, "/latest/meta-data/iam/security-credentials/old-role") => (
                200,
                credentials_document("ASIAV1", "SECRET-v1", "SECRET-v1-token", 3600),
            ),
            _ => (404, String::new()),
        })
    })
    .await;
    let v1 = resolve(DefaultCredentialsChain::new().env(imds_env(&home, &server, &[])))
        .await
        .expect("IMDSv1 credentials");
    assert_eq!(v1.access_key_id(), "ASIAV1");
    assert!(
        server
            .requests()
            .iter()
            .all(|request| request.header("x-aws-ec2-metadata-token").is_none())
    );

    let disabled = imds_env(&home, &server, &[("AWS_EC2_METADATA_V1_DISABLED", "true")]);
    let error = resolve(DefaultCredentialsChain::new().env(disabled))
        .await
        .expect_err("v1 refused");
    let message = error.to_string();
    assert!(
        message.contains("instance metadata: ")
            && message.contains("answered HTTP 404 to the token request")
            && message.contains("IMDSv1 is disabled"),
        "{message}"
    );
}

#[tokio::test]
async fn an_expiring_instance_credential_is_refreshed_ahead_of_its_expiry() {
    let home = Home::new("", "");
    // Inside the five-minute margin one to two seconds after it is issued (the expiry has
    // whole seconds).
    let (server, fetches) = imds_server(5 * 60 + 2).await;
    let cache = SharedCredentialsProvider::new(DefaultCredentialsChain::new().env(imds_env(
        &home,
        &server,
        &[],
    )));
    let first = cache.credentials().await.expect("first");
    let again = cache.credentials().await.expect("cached");
    assert_eq!(first.access_key_id(), again.access_key_id());
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let refreshed = cache.credentials().await.expect("refreshed");
    assert_eq!(first.access_key_id(), "ASIAIMDS1");
    assert_eq!(refreshed.access_key_id(), "ASIAIMDS2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_stalled_instance_metadata_endpoint_hits_its_time_out() {
    let home = Home::new("", "");
    let server = Server::start(|_| None).await;
    let env = imds_env(
        &home,
        &server,
        &[
            ("AWS_METADATA_SERVICE_TIMEOUT", "0.5"),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2"),
        ],
    );
    let started = Instant::now();
    let error = resolve(DefaultCredentialsChain::new().env(env))
        .await
        .expect_err("no credentials");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(1000) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    let imds = error
        .tried()
        .iter()
        .find(|tried| tried.source == "instance metadata")
        .expect("instance metadata was tried");
    assert!(
        imds.reason.contains("within 0.5s (2 attempts)"),
        "{}",
        imds.reason
    );
    assert_eq!(server.requests().len(), 2, "two attempts at the token");
}

// ---- Container credentials ----

#[tokio::test]
async fn container_credentials_send_the_token_file_read_on_every_fetch() {
    let home = Home::new("", "");
    let token_file = home.file("eks-pod-identity-token");
    std::fs::write(&token_file, "SECRET-container-token-1\n").unwrap();
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    let server = Server::start(move |request| {
        let authorization = request.header("authorization").unwrap_or_default();
        if request.path != "/v1/credentials" || !authorization.starts_with("SECRET-container-token")
        {
            return Some((401, r#"{"message":"bad token"}"#.into()));
        }
        let number = count.fetch_add(1, Ordering::SeqCst) + 1;
        Some((
            200,
            credentials_document(
                &format!("ASIACONTAINER{number}"),
                "SECRET-container-key",
                "SECRET-container-session",
                3600,
            ),
        ))
    })
    .await;
    let uri = format!("{}/v1/credentials", server.url);
    let env = home.env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri.as_str()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "ignored-when-a-file-is-set",
        ),
    ]);
    let chain = DefaultCredentialsChain::new().env(env);
    let first = resolve(chain.clone()).await.expect("container credentials");
    assert_eq!(first.access_key_id(), "ASIACONTAINER1");
    assert_eq!(first.session_token(), Some("SECRET-container-session"));
    std::fs::write(&token_file, "SECRET-container-token-2").unwrap();
    let second = resolve(chain).await.expect("container credentials");
    assert_eq!(second.access_key_id(), "ASIACONTAINER2");
    let tokens: Vec<String> = server
        .requests()
        .iter()
        .map(|request| {
            request
                .header("authorization")
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        tokens,
        ["SECRET-container-token-1", "SECRET-container-token-2"]
    );
    // Credential calls say what sends them, as botocore's do.
    for request in server.requests() {
        let agent = request.header("user-agent").unwrap_or_default();
        assert!(agent.starts_with("botocore-runtime/"), "{agent:?}");
        assert!(
            agent.contains(" ua/2.1 ") && agent.contains(" lang/rust"),
            "{agent:?}"
        );
    }

    // A plain-HTTP full URI to another host is refused before anything is sent.
    let remote = home.env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://192.0.2.1/creds",
    )]);
    let error = resolve(DefaultCredentialsChain::new().env(remote))
        .await
        .expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("container: AWS_CONTAINER_CREDENTIALS_FULL_URI names host 192.0.2.1"),
        "{error}"
    );
}

// ---- SSO ----

fn sha1_hex(text: &str) -> String {
    use sha1::Digest as _;
    sha1::Sha1::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A fake SSO portal (`GetRoleCredentials`) and OIDC endpoint (`CreateToken`) in one server:
/// the portal accepts `valid_token` only.
async fn sso_server(valid_token: &'static str) -> Server {
    Server::start(move |request| {
        if request.method == "POST" && request.path == "/token" {
            let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
            let expected = serde_json::json!({
                "clientId": "client-1",
                "clientSecret": "SECRET-client-secret",
                "grantType": "refresh_token",
                "refreshToken": "SECRET-refresh-token",
            });
            if body != expected {
                return Some((400, r#"{"error":"invalid_grant"}"#.into()));
            }
            let answer = serde_json::json!({
                "accessToken": "SECRET-sso-access-token-new",
                "expiresIn": 3600,
                "refreshToken": "SECRET-refresh-token-2",
                "tokenType": "Bearer",
            });
            return Some((200, answer.to_string()));
        }
        let expected_path = "/federation/credentials?account_id=123456789012&role_name=Developer";
        if request.method != "GET" || request.path != expected_path {
            return Some((404, String::new()));
        }
        if request.header("x-amz-sso_bearer_token") != Some(valid_token) {
            return Some((
                401,
                r#"{"message":"Session token not found or invalid"}"#.into(),
            ));
        }
        let expiration = (SystemTime::now() + Duration::from_secs(3600))
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        let answer = serde_json::json!({"roleCredentials": {
            "accessKeyId": "ASIASSO",
            "secretAccessKey": "SECRET-sso-key",
            "sessionToken": "SECRET-sso-session",
            "expiration": expiration,
        }});
        Some((200, answer.to_string()))
    })
    .await
}

#[tokio::test]
async fn an_sso_session_token_is_refreshed_through_oidc_then_exchanged() {
    let home = Home::new(
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n",
        "",
    );
    let cache = home.file(&format!(".aws/sso/cache/{}.json", sha1_hex("corp")));
    let expired = serde_json::json!({
        "startUrl": "https://corp.awsapps.com/start",
        "region": "eu-west-1",
        "accessToken": "SECRET-sso-access-token-old",
        "expiresAt": rfc3339(-60),
        "clientId": "client-1",
        "clientSecret": "SECRET-client-secret",
        "registrationExpiresAt": rfc3339(86400),
        "refreshToken": "SECRET-refresh-token",
    });
    std::fs::write(&cache, expired.to_string()).unwrap();
    let server = sso_server("SECRET-sso-access-token-new").await;
    let env = home.env(&[
        ("AWS_PROFILE", "dev"),
        ("AWS_ENDPOINT_URL_SSO", server.url.as_str()),
        ("AWS_ENDPOINT_URL_SSO_OIDC", server.url.as_str()),
    ]);
    let credentials = resolve(DefaultCredentialsChain::new().env(env))
        .await
        .expect("SSO credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    assert_eq!(credentials.secret_access_key(), "SECRET-sso-key");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path, "/token");
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    assert_eq!(written["accessToken"], "SECRET-sso-access-token-new");
    assert_eq!(written["refreshToken"], "SECRET-refresh-token-2");
    assert_eq!(written["startUrl"], "https://corp.awsapps.com/start");
    let expires_at = written["expiresAt"].as_str().unwrap();
    let expires_at = botocore_runtime::time::parse_iso8601(expires_at).unwrap();
    assert!(SystemTime::from(expires_at) > SystemTime::now() + Duration::from_secs(3000));
}

#[tokio::test]
async fn a_legacy_sso_profile_reads_its_token_by_start_url_and_is_not_refreshed() {
    let start_url = "https://legacy.awsapps.com/start";
    let home = Home::new(
        &format!(
            "[default]\nsso_start_url = {start_url}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Developer\n"
        ),
        "",
    );
    let cache = home.file(&format!(".aws/sso/cache/{}.json", sha1_hex(start_url)));
    let token = |expires_in: i64| {
        serde_json::json!({
            "startUrl": start_url,
            "region": "us-east-1",
            "accessToken": "SECRET-legacy-token",
            // The AWS CLI v1 form of the timestamp.
            "expiresAt": rfc3339(expires_in).replace('Z', "UTC"),
        })
        .to_string()
    };
    std::fs::write(&cache, token(3600)).unwrap();
    let server = sso_server("SECRET-legacy-token").await;
    let env = home.env(&[("AWS_ENDPOINT_URL_SSO", server.url.as_str())]);
    let credentials = resolve(DefaultCredentialsChain::new().env(env.clone()))
        .await
        .expect("SSO credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");

    std::fs::write(&cache, token(-10)).unwrap();
    let error = resolve(DefaultCredentialsChain::new().env(env))
        .await
        .expect_err("expired");
    let message = error.to_string();
    assert!(
        message.contains("SSO (profile default): the SSO token for https://legacy.awsapps.com/start has expired: run `aws sso login --profile default`"),
        "{message}"
    );
    assert_eq!(server.requests().len(), 1, "no refresh, no second exchange");
}

// ---- credential_process ----

fn write_script(home: &Home, name: &str, body: &str) -> PathBuf {
    let path = home.file(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

#[tokio::test]
async fn credential_process_runs_a_script_and_a_failing_one_stops_the_chain() {
    let home = Home::new("", "");
    let expiration = rfc3339(3600);
    let script = write_script(
        &home,
        "creds.sh",
        &format!(
            r#"test "$1" = "--role" && test "$2" = "two words" || exit 9
printf '{{"Version": 1, "AccessKeyId": "AKIAPROCESS", "SecretAccessKey": "SECRET-process-key", "SessionToken": "SECRET-process-token", "Expiration": "{expiration}"}}'"#
        ),
    );
    let failing = write_script(&home, "fails.sh", "echo 'boom: no session' >&2\nexit 3");
    std::fs::write(
        home.file(".aws/config"),
        format!(
            "[default]\ncredential_process = {} --role \"two words\"\n\n[profile broken]\ncredential_process = {}\n",
            script.display(),
            failing.display()
        ),
    )
    .unwrap();
    let env = home.env(&[]);
    let credentials = resolve(DefaultCredentialsChain::new().env(env.clone()))
        .await
        .expect("credential_process");
    assert_eq!(credentials.access_key_id(), "AKIAPROCESS");
    assert_eq!(credentials.session_token(), Some("SECRET-process-token"));
    assert!(credentials.expiry().is_some());

    let error = resolve(DefaultCredentialsChain::new().env(env).profile("broken"))
        .await
        .expect_err("a failing process");
    let message = error.to_string();
    assert!(
        message.contains("credential_process (profile broken): credential_process")
            && message.contains("failed (exit status: 3): boom: no session"),
        "{message}"
    );
    assert!(error.tried().is_empty(), "a failure stops the chain");
}

// ---- STS: moto, and a fake for known secrets ----

/// Sends what a local proxy receives on to `upstream` and records, per call, the action, the
/// role, the access key that signed it and the access key it returned.
#[derive(Debug, Clone)]
struct StsCall {
    action: String,
    role_arn: String,
    signed_by: Option<String>,
    returned_key: Option<String>,
}

fn form_value(body: &str, name: &str) -> String {
    body.split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .map(percent_decode)
        .unwrap_or_default()
}

fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' if index + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                index += 3;
            }
            b'+' => {
                out.push(b' ');
                index += 1;
            }
            byte => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn xml_value(body: &str, element: &str) -> Option<String> {
    let start = body.find(&format!("<{element}>"))? + element.len() + 2;
    let end = body[start..].find(&format!("</{element}>"))? + start;
    Some(body[start..end].to_owned())
}

async fn sts_proxy(upstream: String) -> (Server, Arc<Mutex<Vec<StsCall>>>) {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let recorded = calls.clone();
    let transport = Arc::new(ReqwestTransport::new(Timeouts::default()).expect("reqwest"));
    let server = Server::start_async(Arc::new(move |request: Request| {
        let transport = transport.clone();
        let upstream = upstream.clone();
        let recorded = recorded.clone();
        Box::pin(async move {
            let body = request.body_text();
            let signed_by = request.header("authorization").and_then(|value| {
                let credential = value.split("Credential=").nth(1)?;
                Some(credential.split('/').next()?.to_owned())
            });
            let mut headers = HeaderMap::new();
            for (name, value) in &request.headers {
                if !["host", "content-length", "connection"].contains(&name.as_str()) {
                    headers.insert(
                        botocore_runtime::http::HeaderName::try_from(name.as_str()).unwrap(),
                        HeaderValue::from_str(value).unwrap(),
                    );
                }
            }
            let forwarded = HttpRequest {
                operation: "proxy",
                method: Method::from_bytes(request.method.as_bytes()).unwrap(),
                uri: format!("{upstream}{}", request.path),
                headers,
                body: Bytes::from(request.body.clone()),
                body_stream: None,
                stream_checksum: None,
                upload_hashes: false,
            };
            let answer = transport.send(forwarded).await.expect("moto answers");
            let text = String::from_utf8_lossy(&answer.body).into_owned();
            recorded.lock().unwrap().push(StsCall {
                action: form_value(&body, "Action"),
                role_arn: form_value(&body, "RoleArn"),
                signed_by,
                returned_key: xml_value(&text, "AccessKeyId"),
            });
            Some((answer.status, text))
        })
    }))
    .await;
    (server, calls)
}

/// STS's `GetCallerIdentity`, signed with `credentials`: the ARN they belong to.
async fn caller_arn(endpoint: &str, credentials: Credentials) -> String {
    static STS: ServiceInfo = ServiceInfo {
        service_id: "STS",
        endpoint_prefix: "sts",
        signing_name: "sts",
        retryable_codes: &[],
        protocol: &RestJson,
        customization: botocore_runtime::client::Customization::None,
        bearer: BearerAuth::No,
        endpoint_rules: None,
    };
    let config = Config::new()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials(credentials);
    let client = ServiceClient::new(&STS, &config).expect("client");
    let mut headers = HeaderMap::new();
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"),
    );
    let request = HttpRequest {
        operation: "GetCallerIdentity",
        method: Method::POST,
        uri: format!("{endpoint}/"),
        headers,
        body: Bytes::from_static(b"Action=GetCallerIdentity&Version=2011-06-15"),
        body_stream: None,
        stream_checksum: None,
        upload_hashes: false,
    };
    let answer = client.send(request).await.expect("GetCallerIdentity");
    assert_eq!(answer.status, 200);
    xml_value(&String::from_utf8_lossy(&answer.body), "Arn").expect("an Arn")
}

#[tokio::test]
async fn three_roles_chained_through_source_profiles_are_assumed_in_order_against_moto() {
    let moto = tests::python::Moto::start();
    let (proxy, calls) = sts_proxy(moto.endpoint.clone()).await;
    let home = Home::new(
        "[profile top]\nrole_arn = arn:aws:iam::123456789012:role/top\nsource_profile = middle\nrole_session_name = top-session\nregion = us-east-1\n\n\
         [profile middle]\nrole_arn = arn:aws:iam::123456789012:role/middle\nsource_profile = bottom\n\n\
         [profile bottom]\nrole_arn = arn:aws:iam::123456789012:role/bottom\nsource_profile = keys\nexternal_id = ext-1\n",
        "[keys]\naws_access_key_id = AKIASTATICBASE\naws_secret_access_key = SECRET-static-base\n",
    );
    let env = home.env(&[
        ("AWS_ENDPOINT_URL_STS", proxy.url.as_str()),
        // Ignored: the profile is named explicitly.
        ("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET-environment"),
    ]);
    let started = Instant::now();
    let credentials = resolve(DefaultCredentialsChain::new().env(env).profile("top"))
        .await
        .expect("role chain");
    eprintln!("three AssumeRole calls took {:?}", started.elapsed());
    let calls = calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 3, "{calls:?}");
    let roles: Vec<&str> = calls.iter().map(|call| call.role_arn.as_str()).collect();
    assert_eq!(
        roles,
        [
            "arn:aws:iam::123456789012:role/bottom",
            "arn:aws:iam::123456789012:role/middle",
            "arn:aws:iam::123456789012:role/top",
        ]
    );
    assert!(calls.iter().all(|call| call.action == "AssumeRole"));
    assert_eq!(calls[0].signed_by.as_deref(), Some("AKIASTATICBASE"));
    assert_eq!(calls[1].signed_by, calls[0].returned_key);
    assert_eq!(calls[2].signed_by, calls[1].returned_key);
    assert_eq!(
        Some(credentials.access_key_id()),
        calls[2].returned_key.as_deref()
    );
    assert!(credentials.session_token().is_some() && credentials.expiry().is_some());
    let arn = caller_arn(&moto.endpoint, credentials).await;
    assert_eq!(
        arn,
        "arn:aws:sts::123456789012:assumed-role/top/top-session"
    );
}

#[tokio::test]
async fn web_identity_from_the_environment_is_assumed_unsigned_against_moto() {
    let moto = tests::python::Moto::start();
    let (proxy, calls) = sts_proxy(moto.endpoint.clone()).await;
    let home = Home::new("", "");
    let token_file = home.file("web-identity-token");
    std::fs::write(&token_file, "SECRET-oidc-jwt\n").unwrap();
    let env = home.env(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
        ("AWS_ROLE_SESSION_NAME", "github-actions"),
        ("AWS_REGION", "eu-west-1"),
        ("AWS_ENDPOINT_URL_STS", proxy.url.as_str()),
    ]);
    let credentials = resolve(DefaultCredentialsChain::new().env(env))
        .await
        .expect("web identity");
    let calls = calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].action, "AssumeRoleWithWebIdentity");
    assert_eq!(calls[0].role_arn, "arn:aws:iam::123456789012:role/ci");
    assert_eq!(calls[0].signed_by, None, "unsigned");
    assert_eq!(
        Some(credentials.access_key_id()),
        calls[0].returned_key.as_deref()
    );
    let arn = caller_arn(&moto.endpoint, credentials).await;
    assert_eq!(
        arn,
        "arn:aws:sts::123456789012:assumed-role/ci/github-actions"
    );
}

// ---- The cache under load ----

/// Answers every request with 200 after a pause, recording the access key that signed it.
#[derive(Debug, Clone, Default)]
struct RecordingTransport {
    signed_by: Arc<Mutex<Vec<(Instant, String)>>>,
}

impl Transport for RecordingTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let authorization = request
                .headers
                .get("authorization")
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default();
            let key = authorization
                .split("Credential=")
                .nth(1)
                .and_then(|credential| credential.split('/').next())
                .unwrap_or_default()
                .to_owned();
            self.signed_by.lock().unwrap().push((Instant::now(), key));
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok(HttpResponse::new(200, "{}"))
        })
    }
}

// ---- Bearer tokens ----

/// Answers every request with 200, recording its `Authorization` header.
#[derive(Debug, Clone, Default)]
struct AuthorizationRecorder {
    seen: Arc<Mutex<Vec<Option<String>>>>,
}

impl Transport for AuthorizationRecorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let authorization = request
            .headers
            .get("authorization")
            .map(|value| value.to_str().unwrap().to_owned());
        self.seen.lock().unwrap().push(authorization);
        Box::pin(async { Ok(HttpResponse::new(200, "{}")) })
    }
}

/// One call of `service` through a client of `config`, and the `Authorization` it carried
/// (or why it was not sent).
async fn authorization_of(
    service: &'static ServiceInfo,
    config: Config,
) -> Result<Option<String>, String> {
    let recorder = AuthorizationRecorder::default();
    let config = config
        .region("us-west-2")
        .endpoint_url("https://example.test")
        .transport(recorder.clone());
    let client = ServiceClient::new(service, &config).expect("client");
    let request = HttpRequest {
        operation: "Ping",
        method: Method::POST,
        uri: "https://example.test/ping".into(),
        headers: HeaderMap::new(),
        body: Bytes::from_static(b"{}"),
        body_stream: None,
        stream_checksum: None,
        upload_hashes: false,
    };
    client
        .send(request)
        .await
        .map_err(|error| error.to_string())?;
    let seen = recorder.seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    Ok(seen[0].clone())
}

/// Bedrock's API keys, as botocore takes them: with `AWS_BEARER_TOKEN_BEDROCK` set, Bedrock's
/// requests carry `Authorization: Bearer` in place of SigV4, and a token given in code wins;
/// without one they are signed; another service offering both schemes (one botocore reads no
/// token for) ignores the variable; unsigned requests carry nothing.
#[tokio::test]
async fn a_bearer_token_in_the_environment_replaces_sigv4_where_botocore_takes_one() {
    static BEDROCK: ServiceInfo = ServiceInfo {
        service_id: "Bedrock Runtime",
        endpoint_prefix: "bedrock-runtime",
        signing_name: "bedrock",
        retryable_codes: &[],
        protocol: &RestJson,
        customization: botocore_runtime::client::Customization::None,
        bearer: BearerAuth::WhenGiven,
        endpoint_rules: None,
    };
    static OTHER: ServiceInfo = ServiceInfo {
        service_id: "Other",
        endpoint_prefix: "other",
        signing_name: "other",
        retryable_codes: &[],
        protocol: &RestJson,
        customization: botocore_runtime::client::Customization::None,
        bearer: BearerAuth::No,
        endpoint_rules: None,
    };
    let home = Home::new("", "");
    let keys = [
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET-key"),
    ];
    let with_token = |extra: &[(&str, &str)]| {
        let mut vars = keys.to_vec();
        vars.extend_from_slice(extra);
        Config::loader()
            .env(home.env(&vars))
            .build()
            .expect("config")
    };
    let token = [("AWS_BEARER_TOKEN_BEDROCK", "SECRET-bedrock-api-key")];
    assert_eq!(
        authorization_of(&BEDROCK, with_token(&token)).await,
        Ok(Some("Bearer SECRET-bedrock-api-key".to_owned()))
    );
    assert_eq!(
        authorization_of(&BEDROCK, with_token(&token).bearer_token("SECRET-in-code")).await,
        Ok(Some("Bearer SECRET-in-code".to_owned()))
    );
    let signed = authorization_of(&BEDROCK, with_token(&[])).await.unwrap();
    assert!(
        signed.as_deref().is_some_and(|value| value
            .starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && value.contains("/us-west-2/bedrock/aws4_request")),
        "{signed:?}"
    );
    let other = authorization_of(&OTHER, with_token(&[("AWS_BEARER_TOKEN_OTHER", "x")]))
        .await
        .unwrap();
    assert!(other.is_some_and(|value| value.starts_with("AWS4-HMAC-SHA256")));
    assert_eq!(
        authorization_of(&BEDROCK, with_token(&token).sign_requests(false)).await,
        Ok(None)
    );
}

/// A service that takes only bearer tokens (CodeCatalyst): the token of the profile's SSO
/// session, refreshed through SSO-OIDC when it nears its expiry (and written back) and kept by
/// the configuration until then, or one
/// given in its `AWS_BEARER_TOKEN_*` variable first; with none, the call fails before anything
/// is sent, saying where a token can come from.
#[tokio::test]
async fn a_bearer_only_service_takes_the_sso_session_token() {
    static CODECATALYST: ServiceInfo = ServiceInfo {
        service_id: "CodeCatalyst",
        endpoint_prefix: "codecatalyst",
        signing_name: "codecatalyst",
        retryable_codes: &[],
        protocol: &RestJson,
        customization: botocore_runtime::client::Customization::None,
        bearer: BearerAuth::Only,
        endpoint_rules: None,
    };
    let home = Home::new(
        "[profile dev]\nsso_session = corp\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
        "",
    );
    let cache = home.file(&format!(".aws/sso/cache/{}.json", sha1_hex("corp")));
    // Five minutes left: inside botocore's fifteen-minute window, so it is refreshed.
    let expiring = serde_json::json!({
        "startUrl": "https://corp.awsapps.com/start",
        "region": "eu-west-1",
        "accessToken": "SECRET-sso-access-token-old",
        "expiresAt": rfc3339(300),
        "clientId": "client-1",
        "clientSecret": "SECRET-client-secret",
        "registrationExpiresAt": rfc3339(86400),
        "refreshToken": "SECRET-refresh-token",
    });
    std::fs::write(&cache, expiring.to_string()).unwrap();
    let server = sso_server("unused").await;
    let env = |extra: &[(&str, &str)]| {
        let mut vars = vec![
            ("AWS_PROFILE", "dev"),
            ("AWS_ENDPOINT_URL_SSO_OIDC", server.url.as_str()),
        ];
        vars.extend_from_slice(extra);
        Config::loader()
            .env(home.env(&vars))
            .build()
            .expect("config")
    };
    let first = env(&[]);
    assert_eq!(
        authorization_of(&CODECATALYST, first.clone()).await,
        Ok(Some("Bearer SECRET-sso-access-token-new".to_owned()))
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one CreateToken: {requests:?}");
    assert_eq!(requests[0].path, "/token");
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    assert_eq!(written["accessToken"], "SECRET-sso-access-token-new");
    // The refreshed token, now fresh, is read from the cache without another refresh.
    assert_eq!(
        authorization_of(&CODECATALYST, env(&[])).await,
        Ok(Some("Bearer SECRET-sso-access-token-new".to_owned()))
    );
    assert_eq!(server.requests().len(), 1);
    assert_eq!(
        authorization_of(
            &CODECATALYST,
            env(&[("AWS_BEARER_TOKEN_CODECATALYST", "SECRET-env-token")])
        )
        .await,
        Ok(Some("Bearer SECRET-env-token".to_owned()))
    );

    std::fs::remove_file(&cache).unwrap();
    // A configuration keeps the token it read until it nears its expiry: its clients do not
    // read the file again.
    assert_eq!(
        authorization_of(&CODECATALYST, first).await,
        Ok(Some("Bearer SECRET-sso-access-token-new".to_owned()))
    );
    let error = authorization_of(&CODECATALYST, env(&[])).await.unwrap_err();
    assert!(
        error.contains("CodeCatalyst takes a bearer token") && error.contains("aws sso login"),
        "{error}"
    );
    let error = authorization_of(
        &CODECATALYST,
        Config::new().credentials(Credentials::new("AKID", "SECRET", None)),
    )
    .await
    .unwrap_err();
    assert!(error.contains("Config::bearer_token"), "{error}");
}

#[tokio::test]
async fn fifty_concurrent_callers_across_an_expiry_cause_exactly_one_refresh() {
    // Container credentials whose first key enters the refresh margin two seconds after it
    // is issued; later keys live an hour. The endpoint counts fetches and answers slowly, so
    // that callers pile up behind the refresh.
    let home = Home::new("", "");
    let fetches = Arc::new(AtomicUsize::new(0));
    let count = fetches.clone();
    let issued_at = Arc::new(Mutex::new(None::<Instant>));
    let issued = issued_at.clone();
    let server = Server::start_async(Arc::new(move |_request: Request| {
        let number = count.fetch_add(1, Ordering::SeqCst) + 1;
        let issued = issued.clone();
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let lifetime = if number == 1 { 5 * 60 + 2 } else { 3600 };
            if number == 1 {
                *issued.lock().unwrap() = Some(Instant::now());
            }
            Some((
                200,
                credentials_document(
                    &format!("ASIALOAD{number}"),
                    "SECRET-load-key",
                    "SECRET-load-token",
                    lifetime,
                ),
            ))
        })
    }))
    .await;
    let env = home.env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url.as_str())]);
    let transport = RecordingTransport::default();
    let config = Config::new()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .transport(transport.clone())
        .credentials_provider(DefaultCredentialsChain::new().env(env));
    static SERVICE: ServiceInfo = ServiceInfo {
        service_id: "Example",
        endpoint_prefix: "example",
        signing_name: "example",
        retryable_codes: &[],
        protocol: &RestJson,
        customization: botocore_runtime::client::Customization::None,
        bearer: BearerAuth::No,
        endpoint_rules: None,
    };
    let client = ServiceClient::new(&SERVICE, &config).expect("client");
    let request = HttpRequest {
        operation: "Ping",
        method: Method::POST,
        uri: "http://127.0.0.1:9/ping".into(),
        headers: HeaderMap::new(),
        body: Bytes::from_static(b"{}"),
        body_stream: None,
        stream_checksum: None,
        upload_hashes: false,
    };
    let started = Instant::now();
    let run_for = Duration::from_millis(4500);
    let callers = (0..50).map(|_| {
        let client = client.clone();
        let request = request.clone();
        tokio::spawn(async move {
            let mut calls = 0;
            while started.elapsed() < run_for {
                let answer = client.send(request.clone()).await.expect("signed call");
                assert_eq!(answer.status, 200);
                calls += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            calls
        })
    });
    let mut total = 0;
    for caller in callers.collect::<Vec<_>>() {
        total += caller.await.expect("caller");
    }
    let issued = issued_at.lock().unwrap().expect("first key issued");
    let refresh_point = issued + Duration::from_secs(2);
    let signed = transport.signed_by.lock().unwrap().clone();
    eprintln!(
        "{total} signed calls by 50 callers in {:?}; fetches: {}",
        started.elapsed(),
        fetches.load(Ordering::SeqCst)
    );
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        2,
        "one fetch, then exactly one refresh"
    );
    assert_eq!(signed.len(), total);
    // The first key signed everything before its refresh point; nothing after the refresh
    // (a refresh takes 200 ms here) was signed with it.
    let before = signed.iter().filter(|(_, key)| key == "ASIALOAD1").count();
    let after = signed.iter().filter(|(_, key)| key == "ASIALOAD2").count();
    assert_eq!(before + after, total);
    assert!(
        before >= 50 && after >= 50,
        "before {before}, after {after}"
    );
    assert!(
        signed
            .iter()
            .filter(|(at, _)| *at > refresh_point + Duration::from_millis(300))
            .all(|(_, key)| key == "ASIALOAD2")
    );
}

// ---- Errors that say what was tried ----

#[tokio::test]
async fn with_no_source_the_error_lists_every_source_and_why() {
    let home = Home::new("[default]\nregion = eu-west-1\n", "");
    let error = resolve(DefaultCredentialsChain::new().env(home.env(&[])))
        .await
        .expect_err("nothing configured");
    let sources: Vec<&str> = error
        .tried()
        .iter()
        .map(|tried| tried.source.as_str())
        .collect();
    assert_eq!(
        sources,
        [
            "environment",
            "assume role (profile default)",
            "web identity",
            "SSO (profile default)",
            "credentials file (profile default)",
            "credential_process (profile default)",
            "config file (profile default)",
            "container",
            "instance metadata",
        ]
    );
    let message = error.to_string();
    for expected in [
        "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
        "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile default has no web_identity_token_file",
        "container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
        "instance metadata: disabled by AWS_EC2_METADATA_DISABLED",
    ] {
        assert!(message.contains(expected), "{expected}\nnot in\n{message}");
    }
    eprintln!("{message}");
}

#[tokio::test]
async fn a_malformed_file_names_file_and_line_and_a_missing_profile_is_named() {
    let home = Home::new(
        "[default]\nregion = eu-west-1\n\n[profile dev]\nrole_arn = arn:aws:iam::1:role/x\nthis line is not a setting\n",
        "",
    );
    let config_path = home.file(".aws/config");
    let expected = format!(
        "credentials: {} line 6: expected a `[section]` header, a `name = value` setting or a comment",
        config_path.display()
    );
    let error = resolve(DefaultCredentialsChain::new().env(home.env(&[])))
        .await
        .expect_err("malformed");
    assert_eq!(error.to_string(), expected);
    let error = Config::loader()
        .env(home.env(&[]))
        .build()
        .expect_err("malformed");
    assert_eq!(error.to_string(), expected);

    let credentials_path = home.file(".aws/credentials");
    std::fs::write(&config_path, "[default]\nregion = eu-west-1\n").unwrap();
    std::fs::write(
        &credentials_path,
        "[default]\naws_access_key_id = AKIA\n[broken\n",
    )
    .unwrap();
    let error = Config::loader()
        .env(home.env(&[]))
        .build()
        .expect_err("malformed");
    assert_eq!(
        error.to_string(),
        format!(
            "credentials: {} line 3: a section header without its closing `]`",
            credentials_path.display()
        )
    );

    std::fs::write(&credentials_path, "[default]\naws_access_key_id = AKIA\n").unwrap();
    let missing = format!(
        "credentials: the config profile (staging) could not be found in {} and {}",
        config_path.display(),
        credentials_path.display()
    );
    let error = Config::loader()
        .env(home.env(&[]))
        .profile("staging")
        .build()
        .expect_err("missing profile");
    assert_eq!(error.to_string(), missing);
    let error =
        resolve(DefaultCredentialsChain::new().env(home.env(&[("AWS_PROFILE", "staging")])))
            .await
            .expect_err("missing profile");
    assert_eq!(error.to_string(), missing);

    // One key without the other is an error naming file and line, not a reason to go on.
    let error = resolve(DefaultCredentialsChain::new().env(home.env(&[])))
        .await
        .expect_err("partial keys");
    assert_eq!(
        error.to_string(),
        format!(
            "credentials: credentials file (profile default): {} line 2: profile default has aws_access_key_id but no aws_secret_access_key",
            credentials_path.display()
        )
    );
}

#[tokio::test]
async fn a_named_profile_wins_over_environment_keys_and_role_loops_are_refused() {
    let home = Home::new(
        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n",
        "[dev]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = SECRET-profile\n",
    );
    let env = home.env(&[
        ("AWS_ACCESS_KEY_ID", "AKIAENV"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET-env"),
    ]);
    let from_env = resolve(DefaultCredentialsChain::new().env(env.clone()))
        .await
        .unwrap();
    assert_eq!(from_env.access_key_id(), "AKIAENV");
    let named = resolve(
        DefaultCredentialsChain::new()
            .env(env.clone())
            .profile("dev"),
    )
    .await
    .unwrap();
    assert_eq!(named.access_key_id(), "AKIAPROFILE");
    let error = resolve(DefaultCredentialsChain::new().env(env).profile("a"))
        .await
        .expect_err("a loop");
    assert_eq!(
        error.to_string(),
        "credentials: assume role (profile a): source_profile loop: a -> b -> a"
    );
}

// ---- No secret in Debug, Display or logs ----

/// Collects everything a `tracing` subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A fake STS answering both calls with fixed secrets.
async fn fake_sts() -> Server {
    Server::start(|request| {
        let body = request.body_text();
        let action = form_value(&body, "Action");
        let answer = format!(
            "<{action}Response><{action}Result><Credentials><AccessKeyId>ASIAFAKESTS</AccessKeyId><SecretAccessKey>SECRET-sts-key</SecretAccessKey><SessionToken>SECRET-sts-session</SessionToken><Expiration>{}</Expiration></Credentials></{action}Result></{action}Response>",
            rfc3339(3600)
        );
        Some((200, answer))
    })
    .await
}

#[tokio::test]
async fn no_secret_reaches_debug_display_or_trace_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let home = Home::new("", "");
    let sts = fake_sts().await;
    let (imds, _) = imds_server(3600).await;
    let sso = sso_server("SECRET-sso-access-token-new").await;
    let container = Server::start(|_| {
        Some((
            200,
            credentials_document(
                "ASIAC",
                "SECRET-container-key",
                "SECRET-container-session",
                3600,
            ),
        ))
    })
    .await;
    let token_file = home.file("token");
    std::fs::write(&token_file, "SECRET-web-identity-jwt").unwrap();
    let container_token = home.file("container-token");
    std::fs::write(&container_token, "SECRET-container-token").unwrap();
    let script = write_script(
        &home,
        "creds.sh",
        r#"printf '{"Version": 1, "AccessKeyId": "AKIAP", "SecretAccessKey": "SECRET-process-key", "SessionToken": "SECRET-process-token"}'"#,
    );
    let sso_cache = home.file(&format!(".aws/sso/cache/{}.json", sha1_hex("corp")));
    std::fs::write(
        &sso_cache,
        serde_json::json!({
            "accessToken": "SECRET-sso-access-token-old",
            "expiresAt": rfc3339(-5),
            "clientId": "client-1",
            "clientSecret": "SECRET-client-secret",
            "refreshToken": "SECRET-refresh-token",
        })
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        home.file(".aws/config"),
        format!(
            "[profile process]\ncredential_process = {}\n\
             [profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = static\n\
             [profile web]\nrole_arn = arn:aws:iam::1:role/w\nweb_identity_token_file = {}\n\
             [profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\
             [profile partial]\naws_access_key_id = AKIAPARTIAL\n",
            script.display(),
            token_file.display()
        ),
    )
    .unwrap();
    std::fs::write(
        home.file(".aws/credentials"),
        "[static]\naws_access_key_id = AKIASTATIC\naws_secret_access_key = SECRET-static-key\naws_session_token = SECRET-static-token\n\
         [partial2]\naws_secret_access_key = SECRET-partial-key\n",
    )
    .unwrap();
    let endpoints = [
        ("AWS_ENDPOINT_URL_STS", sts.url.as_str()),
        ("AWS_ENDPOINT_URL_SSO", sso.url.as_str()),
        ("AWS_ENDPOINT_URL_SSO_OIDC", sso.url.as_str()),
    ];
    let with = |extra: &[(&str, &str)]| {
        let mut vars = endpoints.to_vec();
        vars.extend_from_slice(extra);
        home.env(&vars)
    };
    let container_uri = format!("{}/creds", container.url);
    let environments = [
        with(&[
            ("AWS_ACCESS_KEY_ID", "AKIAENV"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET-env-key"),
            ("AWS_SESSION_TOKEN", "SECRET-env-token"),
        ]),
        with(&[("AWS_PROFILE", "static")]),
        with(&[("AWS_PROFILE", "process")]),
        with(&[("AWS_PROFILE", "role")]),
        with(&[("AWS_PROFILE", "web")]),
        with(&[("AWS_PROFILE", "sso")]),
        with(&[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_uri.as_str()),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                container_token.to_str().unwrap(),
            ),
        ]),
        imds_env(&home, &imds, &[]),
    ];
    let mut shown = String::new();
    let mut resolved = Vec::new();
    for env in environments {
        let chain = DefaultCredentialsChain::new().env(env.clone());
        shown += &format!("{chain:?}\n{env:?}\n");
        let credentials = resolve(chain.clone()).await.expect("credentials");
        shown += &format!("{credentials:?}\n");
        // A signed call, with the configuration and client in Debug.
        let config = Config::loader().env(env).build().expect("config");
        let config = config
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:9")
            .transport(RecordingTransport::default());
        shown += &format!("{config:?}\n");
        static SERVICE: ServiceInfo = ServiceInfo {
            service_id: "Example",
            endpoint_prefix: "example",
            signing_name: "example",
            retryable_codes: &[],
            protocol: &RestJson,
            customization: botocore_runtime::client::Customization::None,
            bearer: BearerAuth::No,
            endpoint_rules: None,
        };
        let client = ServiceClient::new(&SERVICE, &config).expect("client");
        let request = HttpRequest {
            operation: "Ping",
            method: Method::POST,
            uri: "http://127.0.0.1:9/ping".into(),
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"{}"),
            body_stream: None,
            stream_checksum: None,
            upload_hashes: false,
        };
        let answer = client.send(request).await.expect("signed call");
        shown += &format!("{client:?}\n{answer:?}\n{:?}\n", config.get_credentials());
        resolved.push(credentials);
    }
    assert_eq!(resolved.len(), 8);
    // Errors too: partial keys in either file, a failing process, a refused SSO token.
    for profile in ["partial", "partial2"] {
        let error = resolve(DefaultCredentialsChain::new().env(with(&[("AWS_PROFILE", profile)])))
            .await
            .expect_err("partial keys");
        shown += &format!("{error}\n{error:?}\n");
    }
    let error =
        resolve(DefaultCredentialsChain::new().env(with(&[("AWS_ACCESS_KEY_ID", "AKIAONLY")])))
            .await
            .expect_err("partial environment");
    shown += &format!("{error}\n{error:?}\n");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("credentials found"),
        "the capture works:\n{logs}"
    );
    assert!(logs.contains("TRACE") || logs.contains("DEBUG"));
    let secrets: Vec<String> = resolved
        .iter()
        .flat_map(|credentials| {
            [
                Some(credentials.secret_access_key().to_owned()),
                credentials.session_token().map(str::to_owned),
            ]
        })
        .flatten()
        .chain(
            [
                "SECRET-web-identity-jwt",
                "SECRET-container-token",
                "SECRET-sso-access-token-old",
                "SECRET-sso-access-token-new",
                "SECRET-client-secret",
                "SECRET-refresh-token",
                "SECRET-partial-key",
                "TOKEN-imds-session",
            ]
            .map(str::to_owned),
        )
        .collect();
    assert!(secrets.len() > 20);
    for secret in &secrets {
        assert!(
            !shown.contains(secret.as_str()),
            "{secret} in Debug or Display:\n{shown}"
        );
        assert!(
            !logs.contains(secret.as_str()),
            "{secret} in the logs:\n{logs}"
        );
    }
    assert!(shown.contains("AKIASTATIC"), "access key ids are shown");
}

/// `response_checksum_validation` as botocore reads it: the environment, else the profile, in
/// any case; a value that is neither setting is an error naming where it came from.
#[tokio::test]
async fn response_checksum_validation_comes_from_the_environment_or_the_profile() {
    use botocore_runtime::checksum::ChecksumValidation;
    let home = Home::new(
        "[default]\nregion = eu-west-1\nresponse_checksum_validation = WHEN_REQUIRED\n\n\
         [profile odd]\nregion = eu-west-1\nresponse_checksum_validation = sometimes\n",
        "",
    );
    let load = |vars: &[(&str, &str)], profile: Option<&str>| {
        let mut loader = Config::loader().env(home.env(vars));
        if let Some(profile) = profile {
            loader = loader.profile(profile);
        }
        loader.build()
    };
    let setting = |config: Result<Config, CredentialsError>| {
        config.expect("config").get_response_checksum_validation()
    };
    assert_eq!(setting(load(&[], None)), ChecksumValidation::WhenRequired);
    assert_eq!(
        setting(load(
            &[("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_supported")],
            None
        )),
        ChecksumValidation::WhenSupported
    );
    let error = load(&[], Some("odd")).expect_err("not a setting");
    let message = error.to_string();
    assert!(
        message.contains("response_checksum_validation") && message.contains("sometimes"),
        "{message}"
    );
    let error =
        load(&[("AWS_RESPONSE_CHECKSUM_VALIDATION", "never")], None).expect_err("not a setting");
    assert!(
        error
            .to_string()
            .contains("AWS_RESPONSE_CHECKSUM_VALIDATION"),
        "{error}"
    );
    // Nothing set: botocore's default.
    assert_eq!(
        Config::new().get_response_checksum_validation(),
        ChecksumValidation::WhenSupported
    );
}
