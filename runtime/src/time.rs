//! Timestamp text forms: exact epoch decimals, RFC 3339 and HTTP dates.

use crate::DateTime;

/// Parses `1700000000.123` exactly (no float rounding); digits past nanoseconds are dropped.
pub fn parse_epoch_seconds(text: &str) -> Option<DateTime> {
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
    let kept = &fraction.as_bytes()[..fraction.len().min(9)];
    let nanos = kept
        .iter()
        .fold(0, |nanos, digit| nanos * 10 + i128::from(digit - b'0'))
        * 10_i128.pow(9 - kept.len() as u32);
    let total = seconds * 1_000_000_000 + nanos;
    DateTime::from_unix_timestamp_nanos(if negative { -total } else { total }).ok()
}

/// The timestamp a JSON number of seconds since the epoch stands for.
///
/// JSON numbers arrive as `f64`, and `1700000000.123` is not exactly representable: the
/// decimal the service wrote is the shortest one that reads back as `value` (what `Display`
/// prints), so that one is used, found here with exact integer arithmetic instead of printing
/// and parsing text. Digits past nanoseconds are dropped, as in [`parse_epoch_seconds`].
pub fn epoch_seconds_from_f64(value: f64) -> Option<DateTime> {
    if !value.is_finite() {
        return None;
    }
    if value.fract() == 0.0 {
        // Whole seconds, and every number too large to have a fraction.
        return if value.abs() < 9e18 {
            DateTime::from_unix_timestamp(value as i64).ok()
        } else {
            None
        };
    }
    // |value| = significand / 2^shift exactly, with shift > 0 since value has a fraction.
    let bits = value.to_bits();
    let biased_exponent = ((bits >> 52) & 0x7ff) as u32;
    let stored = bits & ((1 << 52) - 1);
    let (significand, shift) = match biased_exponent {
        0 => (stored, 1074),
        _ => (stored | 1 << 52, 1075 - biased_exponent),
    };
    if shift > 100 {
        // |value| < 2^-47: the shortest decimal has more than nine fraction digits.
        return parse_epoch_seconds(&value.to_string());
    }
    // The decimals that read back as `value` lie within half a unit in the last place of it,
    // only a quarter below when the significand is a power of two (the next float down is
    // closer); ties round to even, so the bounds are in when the significand is even. Below,
    // distances are in quarters of a unit in the last place.
    let quarters_below: u128 = if stored == 0 && biased_exponent > 1 {
        1
    } else {
        2
    };
    let bounds_included = significand % 2 == 0;
    let within = |distance: u128, bound: u128| match bounds_included {
        true => distance <= bound,
        false => distance < bound,
    };
    let unit = 1_u128 << shift;
    // No whole number reads back as `value`: it has a fraction, and whole numbers below 2^53
    // are floats of their own. So the search starts at one fraction digit.
    for (digits, &scale) in POWERS_OF_TEN.iter().enumerate().skip(1) {
        // |value| × 10^digits, in units of 2^-shift: the decimals with `digits` fraction
        // digits either side of it are `floor` and `floor + 1`, in units of 10^-digits.
        let scaled = u128::from(significand) * u128::from(scale);
        let (floor, rest) = match u64::try_from(scaled) {
            // The usual case (a date this century, to the millisecond), in cheaper 64-bit steps.
            Ok(scaled) if shift < 64 => (
                u128::from(scaled >> shift),
                u128::from(scaled & ((1 << shift) - 1)),
            ),
            _ => (scaled >> shift, scaled & (unit - 1)),
        };
        let scale = u128::from(scale);
        let down = within(4 * rest, quarters_below * scale);
        let up = within(4 * (unit - rest), 2 * scale);
        let candidate = match (down, up) {
            (false, false) => continue,
            (true, false) => floor,
            (false, true) => floor + 1,
            // Both read back: the nearer one, and on a tie the larger, as `Display` picks.
            (true, true) if 2 * rest < unit => floor,
            (true, true) => floor + 1,
        };
        return from_decimal(value < 0.0, candidate, digits);
    }
    // More than nine fraction digits: those past nanoseconds are dropped from the text.
    parse_epoch_seconds(&value.to_string())
}

const POWERS_OF_TEN: [u64; 10] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// The timestamp `±digits / 10^fraction_digits` seconds after the epoch (at most 9 digits).
fn from_decimal(negative: bool, digits: u128, fraction_digits: usize) -> Option<DateTime> {
    let scale = POWERS_OF_TEN[fraction_digits];
    let (whole, fraction) = match u64::try_from(digits) {
        Ok(digits) => (digits / scale, digits % scale),
        Err(_) => {
            let scale = u128::from(scale);
            (u64::try_from(digits / scale).ok()?, (digits % scale) as u64)
        }
    };
    let whole = i64::try_from(whole).ok()?;
    let nanos = fraction * POWERS_OF_TEN[9 - fraction_digits];
    let (seconds, nanos) = match (negative, nanos) {
        (false, _) => (whole, nanos),
        (true, 0) => (-whole, 0),
        // -1.25 s is 0.75 s after -2 s.
        (true, _) => (-whole - 1, 1_000_000_000 - nanos),
    };
    DateTime::from_unix_timestamp(seconds)
        .ok()?
        .replace_nanosecond(nanos as u32)
        .ok()
}

/// `1700000000.123` for a timestamp with milliseconds, `-1.5` for half a second before
/// 1969-12-31T23:59:59Z; no trailing zeros.
pub fn epoch_seconds_text(value: &DateTime) -> String {
    let nanos = value.unix_timestamp_nanos();
    // The decimal of the magnitude: flooring a negative time would write -1.5 s as `-2.5`.
    let sign = if nanos < 0 { "-" } else { "" };
    let magnitude = nanos.unsigned_abs();
    let (seconds, fraction) = (magnitude / 1_000_000_000, magnitude % 1_000_000_000);
    if fraction == 0 {
        return format!("{sign}{seconds}");
    }
    let fraction = format!("{fraction:09}");
    format!("{sign}{seconds}.{}", fraction.trim_end_matches('0'))
}

/// RFC 3339 in UTC, with a fraction only when there is one.
pub fn format_iso8601(value: &DateTime) -> String {
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

/// RFC 3339 text, with any offset.
pub fn parse_iso8601(text: &str) -> Result<DateTime, time::error::Parse> {
    DateTime::parse(text, &time::format_description::well_known::Rfc3339)
}

/// A timestamp in any form AWS services send, whatever form the model declares: epoch
/// seconds, ISO 8601 (also without an offset, UTC as botocore assumes, or with `+0000` for
/// `+00:00`) or an HTTP date. botocore's `parse_timestamp` reads every form anywhere, and a
/// service that sends another form than its model says must not fail the whole response.
pub fn parse_any_timestamp(text: &str) -> Option<DateTime> {
    let text = text.trim();
    parse_epoch_seconds(text)
        .or_else(|| parse_iso8601(text).ok())
        .or_else(|| parse_iso8601(&rfc3339_of_iso8601(text)?).ok())
        .or_else(|| parse_http_date(text).ok())
}

/// The RFC 3339 spelling of ISO 8601 date-times it leaves out: a space for the `T`, no
/// offset, or an offset without its colon. `None` when there is nothing to mend.
fn rfc3339_of_iso8601(text: &str) -> Option<String> {
    let date = text.get(..10)?;
    let time = text.get(11..)?;
    if !matches!(text.as_bytes()[10], b'T' | b't' | b' ') || time.ends_with(['Z', 'z']) {
        return None;
    }
    let (clock, offset) = match time.rfind(['+', '-']) {
        Some(at) => time.split_at(at),
        None => (time, ""),
    };
    let offset = match offset.len() {
        0 => "Z".to_owned(),
        // `+0000`: the hours and minutes without their colon.
        5 if offset[1..].bytes().all(|byte| byte.is_ascii_digit()) => {
            format!("{}:{}", &offset[..3], &offset[3..])
        }
        _ => offset.to_owned(),
    };
    Some(format!("{date}T{clock}{offset}"))
}

/// IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn format_http_date(value: &DateTime) -> String {
    httpdate::fmt_http_date(std::time::SystemTime::from(*value))
}

/// An HTTP date (IMF-fixdate and the obsolete forms HTTP allows).
pub fn parse_http_date(text: &str) -> Result<DateTime, httpdate::Error> {
    httpdate::parse_http_date(text).map(DateTime::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `epoch_seconds_from_f64` computes, the slow way: print, then parse the text.
    fn through_text(value: f64) -> Option<DateTime> {
        parse_epoch_seconds(&value.to_string())
    }

    /// Before 1970 the text is the signed decimal: -1.5 s, not the floored `-2.5`.
    /// Every form botocore reads, whatever the model declared.
    #[test]
    fn any_timestamp_form_reads() {
        let expected = DateTime::from_unix_timestamp_nanos(1_700_000_000_123_000_000).unwrap();
        for text in [
            "1700000000.123",
            " 1700000000.123 ",
            "2023-11-14T22:13:20.123Z",
            "2023-11-14T22:13:20.123+00:00",
            "2023-11-14T22:13:20.123+0000",
            "2023-11-14T23:13:20.123+0100",
            "2023-11-14T22:13:20.123",
            "2023-11-14 22:13:20.123",
            "2023-11-14t22:13:20.123z",
        ] {
            assert_eq!(parse_any_timestamp(text), Some(expected), "{text}");
        }
        let whole = DateTime::from_unix_timestamp(1_700_000_000).unwrap();
        assert_eq!(
            parse_any_timestamp("Tue, 14 Nov 2023 22:13:20 GMT"),
            Some(whole)
        );
        assert_eq!(parse_any_timestamp("2023-11-14T22:13:20"), Some(whole));
        for text in [
            "",
            "yesterday",
            "2023-11-14",
            "2023-11-14T25:00:00",
            "é2023-11-14T22",
        ] {
            assert_eq!(parse_any_timestamp(text), None, "{text}");
        }
    }

    #[test]
    fn epoch_text_of_times_before_1970() {
        for (nanos, text) in [
            (-1_500_000_000_i128, "-1.5"),
            (-500_000_000, "-0.5"),
            (-2_000_000_000, "-2"),
            (1_700_000_000_123_000_000, "1700000000.123"),
            (0, "0"),
        ] {
            let value = DateTime::from_unix_timestamp_nanos(nanos).unwrap();
            assert_eq!(epoch_seconds_text(&value), text);
            assert_eq!(parse_epoch_seconds(text), Some(value), "{text}");
        }
    }

    #[test]
    fn epoch_numbers_keep_the_decimal_the_service_wrote() {
        for (value, seconds, nanos) in [
            (1700000000.123, 1_700_000_000, 123_000_000),
            (1700000000.623, 1_700_000_000, 623_000_000),
            (1700000000.5, 1_700_000_000, 500_000_000),
            (1700000000.123456, 1_700_000_000, 123_456_000),
            (0.001, 0, 1_000_000),
            (-1.5, -2, 500_000_000),
            (1700000000.0, 1_700_000_000, 0),
        ] {
            let time = epoch_seconds_from_f64(value).expect("in range");
            assert_eq!(
                (time.unix_timestamp(), time.nanosecond()),
                (seconds, nanos),
                "{value}"
            );
        }
        assert_eq!(epoch_seconds_from_f64(f64::NAN), None);
        assert_eq!(epoch_seconds_from_f64(1e300), None);
    }

    #[test]
    fn epoch_numbers_agree_with_printing_and_parsing() {
        let mut rng = fastrand::Rng::with_seed(7);
        let check = |value: f64| {
            assert_eq!(
                epoch_seconds_from_f64(value),
                through_text(value),
                "{value:?}"
            );
            assert_eq!(
                epoch_seconds_from_f64(-value),
                through_text(-value),
                "{:?}",
                -value
            );
        };
        for _ in 0..200_000 {
            // Decimals with 0 to 9 fraction digits, as services write them.
            let digits = rng.u32(0..=9);
            let whole = match rng.bool() {
                true => rng.u64(0..5_000_000_000),
                false => rng.u64(0..300_000_000_000),
            };
            let fraction = rng.u64(0..10_u64.pow(digits));
            let text = format!("{whole}.{fraction:0width$}", width = digits as usize);
            check(text.parse().expect("a number"));
            // Any float in the same range, and small ones.
            check(f64::from_bits(
                rng.u64(0x3e00_0000_0000_0000..0x41f5_0000_0000_0000),
            ));
        }
        for value in [
            f64::MIN_POSITIVE,
            5e-324,
            1e-9,
            1.5e-9,
            0.1,
            0.5,
            0.25,
            2f64.powi(52) + 0.5,
            2e10 + 0.123456789,
            253402300799.999,
            253402300800.5,
            // .328125 exactly: halfway between .32812 and .32813, both shortest.
            87_895_987_591.0 + 21.0 / 64.0,
            -87_895_987_591.0 - 21.0 / 64.0,
        ] {
            check(value);
        }
    }
}
