//! Timestamp text forms: exact epoch decimals, RFC 3339 and HTTP dates.

use super::DateTime;

/// Parses `1700000000.123` exactly (no float rounding); digits past nanoseconds are dropped.
pub(crate) fn parse_epoch_seconds(text: &str) -> Option<DateTime> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds: i128 = whole.parse().ok()?;
    let nanos: i128 = format!("{:0<9}", &fraction[..fraction.len().min(9)])
        .parse()
        .ok()?;
    let total = seconds * 1_000_000_000 + nanos;
    DateTime::from_unix_timestamp_nanos(if negative { -total } else { total }).ok()
}

/// `1700000000.123` for a timestamp with milliseconds; no trailing zeros.
pub(crate) fn epoch_seconds_text(value: &DateTime) -> String {
    let nanos = value.unix_timestamp_nanos();
    let (seconds, fraction) = (
        nanos.div_euclid(1_000_000_000),
        nanos.rem_euclid(1_000_000_000),
    );
    if fraction == 0 {
        return seconds.to_string();
    }
    let fraction = format!("{fraction:09}");
    format!("{seconds}.{}", fraction.trim_end_matches('0'))
}

/// RFC 3339 in UTC, with a fraction only when there is one.
pub(crate) fn format_iso8601(value: &DateTime) -> String {
    let value = value.to_offset(time::UtcOffset::UTC);
    let fraction = match value.nanosecond() {
        0 => String::new(),
        nanos => format!(".{:09}", nanos).trim_end_matches('0').to_owned(),
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}Z",
        value.year(),
        u8::from(value.month()),
        value.day(),
        value.hour(),
        value.minute(),
        value.second()
    )
}

pub(crate) fn parse_iso8601(text: &str) -> Result<DateTime, time::error::Parse> {
    DateTime::parse(text, &time::format_description::well_known::Rfc3339)
}

/// IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) fn format_http_date(value: &DateTime) -> String {
    httpdate::fmt_http_date(std::time::SystemTime::from(*value))
}

pub(crate) fn parse_http_date(text: &str) -> Result<DateTime, httpdate::Error> {
    httpdate::parse_http_date(text).map(DateTime::from)
}
