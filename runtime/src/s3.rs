//! What S3 needs beyond its model, as botocore's handlers and the SDKs add it by hand: bucket
//! names as host names, the `GetBucketLocation` answer that is not the structure the model
//! says, the 200 whose body is an error, the MD5 of an SSE-C key, and an `Expires` header that
//! is no date. Signing differences (a single percent-encoding of the path,
//! `x-amz-content-sha256` on every request) are the signer's; the generated crate marks its
//! service [`Customization::S3`](crate::client::Customization::S3) and the runtime applies all
//! of it.

#[cfg(feature = "xml")]
use crate::error::DecodeError;
#[cfg(feature = "xml")]
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

/// S3's `Expires` response header: whatever the object was stored with, not always a date
/// (`0` and `-1` are common). botocore drops a value that does not parse rather than failing
/// the call (its `handle_expires_header`); so does this, with a warning in the log.
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[cfg(feature = "xml")]
    #[test]
    fn an_expires_header_that_is_no_date_is_left_out() {
        use crate::rest::TimestampFormat;
        let mut response = HttpResponse::new(200, "");
        assert_eq!(
            expires_header(&response, "Expires", TimestampFormat::HttpDate),
            None
        );
        for (value, parsed) in [
            ("0", false),
            ("-1", false),
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
