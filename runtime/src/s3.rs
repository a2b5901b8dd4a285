//! What S3 needs beyond its model, as botocore's handlers and the SDKs add it by hand: bucket
//! names as host names, the `GetBucketLocation` answer that is not the structure the model
//! says, the 200 whose body is an error, the MD5 of an SSE-C key, a `CopySource`
//! percent-encoded, an `Expires` header that is no date, and the region S3 names when a
//! bucket's requests went to another one. Signing
//! differences (a single percent-encoding of the path, `x-amz-content-sha256` on every request)
//! are the signer's; the generated crate marks its service
//! [`Customization::S3`](crate::client::Customization::S3) and the runtime applies all of it.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

#[cfg(feature = "xml")]
use crate::error::DecodeError;
use crate::http::HttpResponse;
#[cfg(feature = "xml")]
use crate::xml::XmlReader;

/// A bucket name that can be the first label of a host name under TLS, as the SDKs'
/// `isVirtualHostableS3Bucket` decides: 3 to 63 lowercase letters, digits and hyphens,
/// starting and ending with a letter or digit. Names with dots are addressed by path: a dotted
/// host name fails the wildcard certificate of `*.s3.amazonaws.com`.
pub fn is_virtual_hostable(bucket: &str) -> bool {
    let bytes = bucket.as_bytes();
    (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
}

/// A success response whose body is an S3 `<Error>` document: CopyObject,
/// CompleteMultipartUpload and UploadPartCopy answer 200 before they know the outcome and may
/// then write an error. botocore reads such a response as a 500 (and so retries it); so does
/// the client. Only the start of the body is looked at.
#[cfg(feature = "xml")]
pub fn is_error_in_success(response: &HttpResponse) -> bool {
    if response.status != 200 {
        return false;
    }
    let Ok(mut reader) = XmlReader::new(&response.body) else {
        return false;
    };
    reader
        .root()
        .is_ok_and(|root| root.local_name() == b"Error")
}

/// The text of the root element, which is all `GetBucketLocation` answers
/// (`<LocationConstraint xmlns="...">eu-west-1</LocationConstraint>`, empty for us-east-1):
/// botocore parses it by hand, not as the model's structure.
#[cfg(feature = "xml")]
pub fn root_text(response: &HttpResponse) -> Result<Option<String>, DecodeError> {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let read = || {
        let mut reader = XmlReader::new(&response.body)?;
        let root = reader.root()?;
        let text = reader.text(&root)?;
        Ok::<_, crate::xml::XmlError>(text.into_owned())
    };
    let text = read().map_err(|error| DecodeError::new(response, error))?;
    Ok((!text.is_empty()).then_some(text))
}

/// The SSE-C key headers and their MD5 headers: the object's and a copy source's.
const SSE_CUSTOMER_KEYS: [(&str, &str); 2] = [
    (
        "x-amz-server-side-encryption-customer-key",
        "x-amz-server-side-encryption-customer-key-md5",
    ),
    (
        "x-amz-copy-source-server-side-encryption-customer-key",
        "x-amz-copy-source-server-side-encryption-customer-key-md5",
    ),
];

/// SSE-C keys as botocore's `sse_md5` handler sends them: where a request carries a key and no
/// MD5 of it, the key goes base64-encoded with the base64 MD5 of its bytes beside it. The key
/// may be given as itself (32 bytes, as boto3 users give it) or already base64-encoded (44
/// characters, as the Rust SDK's users give it): the two lengths never meet, so neither is
/// mistaken for the other. A key given with its MD5 is sent as given.
pub fn sse_customer_keys(headers: &mut http::HeaderMap) {
    use base64::Engine as _;
    use md5::Digest as _;
    let engine = &base64::engine::general_purpose::STANDARD;
    for (key_header, md5_header) in SSE_CUSTOMER_KEYS {
        if headers.contains_key(md5_header) {
            continue;
        }
        let Some(given) = headers.get(key_header) else {
            continue;
        };
        let key = match engine.decode(given.as_bytes()) {
            Ok(decoded) if decoded.len() == 32 => decoded,
            _ => given.as_bytes().to_vec(),
        };
        let mut encoded = http::HeaderValue::from_str(&engine.encode(&key))
            .expect("base64 is a valid header value");
        encoded.set_sensitive(true);
        let md5 = http::HeaderValue::from_str(&engine.encode(md5::Md5::digest(&key)))
            .expect("base64 is a valid header value");
        headers.insert(key_header, encoded);
        headers.insert(md5_header, md5);
    }
}

/// A key S3 listed url-encoded (`EncodingType=url`, which the list operations ask for by
/// default), decoded as botocore's `unquote_plus` decodes it: `+` is a space, `%XX` a byte, and
/// bytes that are not UTF-8 become U+FFFD.
pub fn url_decode(key: &mut Option<String>) {
    let Some(text) = key.as_mut() else {
        return;
    };
    if !text.contains(['%', '+']) {
        return;
    }
    let plus_as_space = text.replace('+', " ");
    *text = percent_encoding::percent_decode_str(&plus_as_space)
        .decode_utf8_lossy()
        .into_owned();
}

/// What `CopySource` may keep as it is: RFC 3986's unreserved characters and `/`, the set
/// botocore's `percent_encode(..., safe='-._~/')` keeps.
const COPY_SOURCE_KEEPS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The `x-amz-copy-source` header of CopyObject and UploadPartCopy as botocore's
/// `handle_copy_source_param` sends `CopySource`: `bucket/key` percent-encoded as UTF-8 (`/`
/// kept), so a key with spaces, `%`, `+` or letters beyond ASCII names the object it is, and a
/// trailing `?versionId=<id>` (no white space in the id) kept as it is. The value is taken as
/// the caller wrote it: one already percent-encoded is encoded again, as botocore does.
pub fn encode_copy_source(source: &str) -> String {
    const VERSION_ID: &str = "?versionId=";
    // The first `?versionId=` whose id runs to the end without white space, as botocore's
    // `\?versionId=[^\s]+$` finds it.
    let version_at = source
        .match_indices(VERSION_ID)
        .map(|(at, _)| at)
        .find(|at| {
            let id = &source[at + VERSION_ID.len()..];
            !id.is_empty() && !id.chars().any(char::is_whitespace)
        });
    let (object, version) = source.split_at(version_at.unwrap_or(source.len()));
    let mut encoded: String =
        percent_encoding::utf8_percent_encode(object, COPY_SOURCE_KEEPS).collect();
    encoded.push_str(version);
    encoded
}

/// S3's `Expires` response header: whatever the object was stored with, not always a date.
/// Read as botocore reads it (`0` and `-1`, which are common, as epoch seconds); a value that
/// does not parse is dropped rather than failing the call (its `handle_expires_header`), with a
/// warning in the log.
#[cfg(feature = "xml")]
pub fn expires_header(
    response: &HttpResponse,
    name: &str,
    format: crate::rest::TimestampFormat,
) -> Option<crate::DateTime> {
    crate::rest::header_timestamp(response, name, format).unwrap_or_else(|error| {
        tracing::warn!(%error, "S3's {name} header is not a date; it is left out");
        None
    })
}

/// How many buckets' regions a client remembers; past that it forgets them all and learns
/// again, so that a client touching many buckets does not grow without end.
const REMEMBERED_BUCKETS: usize = 1024;

/// The regions of buckets that S3 redirected the client to: later requests for those buckets
/// go to their region at once, as botocore's `S3RegionRedirectorv2` caches them per client.
#[derive(Debug, Default)]
pub(crate) struct BucketRegions(Mutex<HashMap<String, String>>);

impl BucketRegions {
    /// The region a redirect named for `bucket`, if one did.
    pub(crate) fn get(&self, bucket: &str) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(bucket)
            .cloned()
    }

    /// Remembers that `bucket` is in `region`.
    pub(crate) fn learn(&self, bucket: &str, region: &str) {
        let mut regions = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if regions.len() >= REMEMBERED_BUCKETS && !regions.contains_key(bucket) {
            regions.clear();
        }
        regions.insert(bucket.to_owned(), region.to_owned());
    }
}

/// What an error response to a request for a bucket says about the bucket's region.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Redirect {
    /// Not an answer to a request sent to the wrong region (or it names a "region" that is no
    /// region name, which would go into a host name): the response stands.
    No,
    /// Sent to the wrong region; the bucket is in this one.
    To(String),
    /// Sent to the wrong region, without saying which is right: HeadBucket's answer will.
    Unnamed,
}

/// Whether an error response is one of the answers to a request sent to the wrong region that
/// botocore's `S3RegionRedirectorv2` follows: a 301, 302 or 307, `PermanentRedirect`,
/// `AuthorizationHeaderMalformed` naming the region in its body,
/// `IllegalLocationConstraintException` (but for CreateBucket, where it is the caller's
/// mistake), HeadObject's bodiless 301 or 400, and HeadBucket's with `x-amz-bucket-region`.
/// The region comes from the `x-amz-bucket-region` header, else from the error's `<Region>`.
pub(crate) fn redirect(operation: &str, code: &str, response: &HttpResponse) -> Redirect {
    let status = response.status;
    let header = response.header("x-amz-bucket-region");
    let head = matches!(status, 301 | 400)
        && (operation == "HeadObject" || operation == "HeadBucket" && header.is_some());
    let redirected = head
        || matches!(status, 301 | 302 | 307)
        || code == "PermanentRedirect"
        || code == "IllegalLocationConstraintException" && operation != "CreateBucket";
    let wrong_signing_region = code == "AuthorizationHeaderMalformed";
    if !redirected && !wrong_signing_region {
        return Redirect::No;
    }
    let body_region = || error_region(response);
    let region = match header {
        // botocore follows this error only when its body names the region.
        Some(_) if !redirected && body_region().is_none() => return Redirect::No,
        Some(region) => region.to_owned(),
        None => match body_region() {
            Some(region) => region,
            None if redirected => return Redirect::Unnamed,
            None => return Redirect::No,
        },
    };
    if is_region_name(&region) {
        Redirect::To(region)
    } else {
        Redirect::No
    }
}

/// The region HeadBucket's answer (whatever its status) says the bucket is in.
pub(crate) fn head_bucket_region(response: &HttpResponse) -> Option<String> {
    let region = response.header("x-amz-bucket-region")?;
    is_region_name(region).then(|| region.to_owned())
}

/// The `<Region>` of an `<Error>` body.
#[cfg(feature = "xml")]
fn error_region(response: &HttpResponse) -> Option<String> {
    let mut reader = XmlReader::new(&response.body).ok()?;
    let root = reader.root().ok()?;
    if root.local_name() != b"Error" {
        return None;
    }
    let region = reader.find_child(&root, b"Region").ok()??;
    Some(reader.text(&region).ok()?.into_owned())
}

#[cfg(not(feature = "xml"))]
fn error_region(_: &HttpResponse) -> Option<String> {
    None
}

/// `eu-west-1`, `us-gov-west-1`, `cn-north-1`: lowercase letters, digits and hyphens.
fn is_region_name(region: &str) -> bool {
    (1..=32).contains(&region.len())
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

/// `uri` (one this crate built against `from`, an AWS endpoint) addressed to `to`, the same
/// service's endpoint in another region: the host moves, a bucket label in front of it stays.
/// `None` when `uri` is not under `from`.
pub(crate) fn readdress(uri: &str, from: &str, to: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once("://")?;
    let (_, from_host) = from.split_once("://")?;
    let (_, to_host) = to.split_once("://")?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let label = match authority.strip_suffix(from_host)? {
        "" => "",
        label if label.ends_with('.') => label,
        _ => return None,
    };
    Some(format!("{scheme}://{label}{to_host}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoded_keys_decode_as_unquote_plus_decodes_them() {
        // Expected values from Python's urllib.parse.unquote_plus.
        for (encoded, decoded) in [
            (
                "photos/2024+summer/%F0%9F%8C%8A.jpg",
                "photos/2024 summer/\u{1f30a}.jpg",
            ),
            ("a%2Bb%25c%20d", "a+b%c d"),
            ("control%01char", "control\u{1}char"),
            ("bad%FFutf8", "bad\u{fffd}utf8"),
            ("trailing%", "trailing%"),
            ("%zz", "%zz"),
            ("plain", "plain"),
        ] {
            let mut key = Some(encoded.to_owned());
            url_decode(&mut key);
            assert_eq!(key.as_deref(), Some(decoded), "{encoded}");
        }
        let mut none = None;
        url_decode(&mut none);
        assert_eq!(none, None);
    }

    #[test]
    fn sse_customer_keys_get_their_md5_as_botocore_sends_them() {
        const RAW: &str = "01234567890123456789012345678901";
        const ENCODED: &str = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";
        const MD5: &str = "KYvwGXoFFJ42a2u2GDWhwQ==";
        let header = |headers: &http::HeaderMap, name: &str| {
            headers
                .get(name)
                .map(|value| value.to_str().unwrap().to_owned())
        };
        // The key itself, and the key base64-encoded: the same headers.
        for given in [RAW, ENCODED] {
            let mut headers = http::HeaderMap::new();
            headers.insert(SSE_CUSTOMER_KEYS[0].0, given.parse().unwrap());
            headers.insert(SSE_CUSTOMER_KEYS[1].0, given.parse().unwrap());
            sse_customer_keys(&mut headers);
            for (key, md5) in SSE_CUSTOMER_KEYS {
                assert_eq!(header(&headers, key).as_deref(), Some(ENCODED), "{given}");
                assert_eq!(header(&headers, md5).as_deref(), Some(MD5), "{given}");
                assert!(headers[key].is_sensitive());
            }
        }
        // A key with its MD5 is left as given; no key, nothing added.
        let mut headers = http::HeaderMap::new();
        headers.insert(SSE_CUSTOMER_KEYS[0].0, RAW.parse().unwrap());
        headers.insert(SSE_CUSTOMER_KEYS[0].1, "given".parse().unwrap());
        sse_customer_keys(&mut headers);
        assert_eq!(
            header(&headers, SSE_CUSTOMER_KEYS[0].0).as_deref(),
            Some(RAW)
        );
        assert_eq!(headers.len(), 2);
    }

    #[test]
    fn copy_sources_are_percent_encoded_as_botocore_encodes_them() {
        // Each expected value is what botocore 1.43.11's `_quote_source_header` gives.
        for (source, expected) in [
            (
                "srcbucket/a%20b c+d~\u{e9}.txt",
                "srcbucket/a%2520b%20c%2Bd~%C3%A9.txt",
            ),
            ("b/k?versionId=abc", "b/k?versionId=abc"),
            ("b/a b.txt?versionId=v+1/2", "b/a%20b.txt?versionId=v+1/2"),
            // An id with white space is no version id: all of it is the key.
            ("b/k ?versionId=a b", "b/k%20%3FversionId%3Da%20b"),
            (
                "b/x?y#z&=:@!$*()'",
                "b/x%3Fy%23z%26%3D%3A%40%21%24%2A%28%29%27",
            ),
            ("b/emoji\u{1F600}", "b/emoji%F0%9F%98%80"),
            ("b/dir/sub dir/f", "b/dir/sub%20dir/f"),
            ("b/k?versionId=", "b/k%3FversionId%3D"),
        ] {
            assert_eq!(encode_copy_source(source), expected, "{source}");
        }
    }

    #[cfg(feature = "xml")]
    #[test]
    fn an_expires_header_that_is_no_date_is_left_out() {
        use crate::rest::TimestampFormat;
        let mut response = HttpResponse::new(200, "");
        assert_eq!(
            expires_header(&response, "Expires", TimestampFormat::HttpDate),
            None
        );
        // botocore's `parse_timestamp` reads `0` and `-1` as epoch seconds, and drops `soon`.
        for (value, parsed) in [
            ("0", true),
            ("-1", true),
            ("soon", false),
            ("Thu, 01 Dec 1994 16:00:00 GMT", true),
        ] {
            response.headers.insert("expires", value.parse().unwrap());
            assert_eq!(
                expires_header(&response, "Expires", TimestampFormat::HttpDate).is_some(),
                parsed,
                "{value}"
            );
        }
    }

    #[test]
    fn requests_are_readdressed_to_another_region() {
        let from = "https://s3.us-west-2.amazonaws.com";
        let to = "https://s3.eu-west-1.amazonaws.com";
        for (uri, expected) in [
            (
                "https://b.s3.us-west-2.amazonaws.com/k?x=1",
                Some("https://b.s3.eu-west-1.amazonaws.com/k?x=1"),
            ),
            (
                "https://s3.us-west-2.amazonaws.com/a.b/k",
                Some("https://s3.eu-west-1.amazonaws.com/a.b/k"),
            ),
            (
                "https://s3.us-west-2.amazonaws.com?list",
                Some("https://s3.eu-west-1.amazonaws.com?list"),
            ),
            // Not under `from`: left alone.
            ("https://xs3.us-west-2.amazonaws.com/k", None),
            ("http://localhost:9000/b/k", None),
        ] {
            assert_eq!(readdress(uri, from, to).as_deref(), expected, "{uri}");
        }
    }

    #[test]
    fn only_region_names_are_followed() {
        for region in ["eu-west-1", "us-gov-west-1", "cn-north-1", "il-central-1"] {
            assert!(is_region_name(region), "{region}");
        }
        for region in [
            "",
            "evil.com",
            "a/b",
            "EU-WEST-1",
            "-x",
            "x-",
            "eu west",
            &"a".repeat(33),
        ] {
            assert!(!is_region_name(region), "{region}");
        }
    }

    // The `<Region>` of an error body is read with the XML reader.
    #[cfg(feature = "xml")]
    #[test]
    fn redirects_name_the_region_in_a_header_or_the_body() {
        let with_header = |status, region: &str| {
            let mut response = HttpResponse::new(status, "");
            response
                .headers
                .insert("x-amz-bucket-region", region.parse().unwrap());
            response
        };
        let to = |region: &str| Redirect::To(region.to_owned());
        assert_eq!(
            redirect(
                "GetObject",
                "PermanentRedirect",
                &with_header(301, "eu-west-1")
            ),
            to("eu-west-1")
        );
        let malformed = HttpResponse::new(
            400,
            "<Error><Code>AuthorizationHeaderMalformed</Code><Region>ap-south-1</Region></Error>",
        );
        assert_eq!(
            redirect("PutObject", "AuthorizationHeaderMalformed", &malformed),
            to("ap-south-1")
        );
        // botocore follows AuthorizationHeaderMalformed only when its body names the region.
        assert_eq!(
            redirect(
                "PutObject",
                "AuthorizationHeaderMalformed",
                &with_header(400, "eu-west-1")
            ),
            Redirect::No
        );
        // HeadBucket's 400 is a redirect only with the header; HeadObject's is one anyway,
        // and without a region HeadBucket is asked.
        let bare = HttpResponse::new(400, "");
        assert_eq!(redirect("HeadBucket", "400", &bare), Redirect::No);
        assert_eq!(
            redirect("HeadBucket", "400", &with_header(400, "eu-central-1")),
            to("eu-central-1")
        );
        assert_eq!(redirect("HeadObject", "400", &bare), Redirect::Unnamed);
        let silent = HttpResponse::new(301, "<Error><Code>PermanentRedirect</Code></Error>");
        assert_eq!(
            redirect("GetObject", "PermanentRedirect", &silent),
            Redirect::Unnamed
        );
        // CreateBucket's IllegalLocationConstraintException is the caller's mistake.
        let illegal = with_header(400, "eu-west-1");
        assert_eq!(
            redirect(
                "CreateBucket",
                "IllegalLocationConstraintException",
                &illegal
            ),
            Redirect::No
        );
        assert_eq!(
            redirect("GetObject", "IllegalLocationConstraintException", &illegal),
            to("eu-west-1")
        );
        // Other errors are not redirects, whatever header they carry; nor is a "region" that
        // would change the host.
        for (status, code) in [(404, "NoSuchKey"), (403, "AccessDenied")] {
            let response = with_header(status, "eu-west-1");
            assert_eq!(redirect("GetObject", code, &response), Redirect::No);
        }
        let hostile = with_header(301, "evil.example.com/x");
        assert_eq!(
            redirect("GetObject", "PermanentRedirect", &hostile),
            Redirect::No
        );
        // HeadBucket's answer names the region in its header, or says nothing.
        assert_eq!(
            head_bucket_region(&with_header(403, "sa-east-1")).as_deref(),
            Some("sa-east-1")
        );
        assert_eq!(head_bucket_region(&HttpResponse::new(404, "")), None);
        assert_eq!(head_bucket_region(&with_header(200, "a.b")), None);
    }

    #[test]
    fn a_client_remembers_a_bounded_number_of_buckets() {
        let regions = BucketRegions::default();
        for index in 0..REMEMBERED_BUCKETS + 10 {
            regions.learn(&format!("bucket-{index}"), "eu-west-1");
        }
        assert!(regions.0.lock().unwrap().len() <= REMEMBERED_BUCKETS);
        assert_eq!(regions.get("bucket-1033").as_deref(), Some("eu-west-1"));
        regions.learn("bucket-1033", "us-east-2");
        assert_eq!(regions.get("bucket-1033").as_deref(), Some("us-east-2"));
    }

    #[test]
    fn virtual_hostable_bucket_names() {
        assert!(is_virtual_hostable("my-bucket-1"));
        assert!(is_virtual_hostable("abc"));
        assert!(!is_virtual_hostable("ab"));
        assert!(!is_virtual_hostable("My-Bucket"));
        assert!(!is_virtual_hostable("my.bucket"));
        assert!(!is_virtual_hostable("-bucket"));
        assert!(!is_virtual_hostable("bucket-"));
        assert!(!is_virtual_hostable("bucket_name"));
        assert!(!is_virtual_hostable(&"a".repeat(64)));
    }

    #[cfg(feature = "xml")]
    #[test]
    fn errors_in_a_200_are_found() {
        let error = HttpResponse::new(
            200,
            "<?xml version=\"1.0\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>",
        );
        assert!(is_error_in_success(&error));
        let fine = HttpResponse::new(200, "<CopyObjectResult><ETag>x</ETag></CopyObjectResult>");
        assert!(!is_error_in_success(&fine));
        assert!(!is_error_in_success(&HttpResponse::new(200, "")));
        assert!(!is_error_in_success(&HttpResponse::new(200, "not xml")));
    }

    #[cfg(feature = "xml")]
    #[test]
    fn the_location_constraint_is_the_root_text() {
        let response = HttpResponse::new(
            200,
            "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">eu-west-1</LocationConstraint>",
        );
        assert_eq!(root_text(&response).unwrap().as_deref(), Some("eu-west-1"));
        let us_east_1 = HttpResponse::new(
            200,
            "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>",
        );
        assert_eq!(root_text(&us_east_1).unwrap(), None);
        assert!(root_text(&HttpResponse::new(200, "<a>")).is_err());
    }
}
