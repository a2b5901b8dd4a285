//! What botocore's `handlers.py` does for one service that fits no protocol module and no
//! service module of its own (S3 has [`crate::s3`]): each function mends one member of an
//! input or an output, and the generated code of that service calls it.

use base64::Engine as _;

/// EC2's GetConsoleOutput gives the console's text base64-encoded, and botocore hands it over
/// decoded (`decode_console_output`): as Python's `b64decode` reads it, characters outside the
/// base64 alphabet (line breaks) are skipped, bytes that are not UTF-8 become U+FFFD, and a
/// value that does not decode is kept as it came.
pub fn decode_base64_text(text: &mut Option<String>) {
    let Some(encoded) = text.as_deref() else {
        return;
    };
    let alphabet: Vec<u8> = encoded
        .bytes()
        .filter(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'='))
        .collect();
    match base64::engine::general_purpose::STANDARD.decode(&alphabet) {
        Ok(bytes) => *text = Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(error) => tracing::debug!(%error, "the console output is not base64: kept as it came"),
    }
}

#[cfg(test)]
mod tests {
    use super::decode_base64_text;

    #[test]
    fn console_output_decodes_as_botocore_decodes_it() {
        // Expected values from Python: base64.b64decode(...).decode("utf-8", "replace").
        for (encoded, decoded) in [
            ("TGludXgKYm9vdA==", Some("Linux\nboot")),
            ("TGludXgK\r\nYm9vdA==", Some("Linux\nboot")),
            ("/w==", Some("\u{fffd}")),
            ("", Some("")),
            ("not base64!", Some("not base64!")),
        ] {
            let mut text = Some(encoded.to_owned());
            decode_base64_text(&mut text);
            assert_eq!(text.as_deref(), decoded, "{encoded:?}");
        }
        let mut none = None;
        decode_base64_text(&mut none);
        assert_eq!(none, None);
    }
}
