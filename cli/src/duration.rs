//! Human durations on the command line: `500ms`, `30s`, `5m`, `1h`, `2d`,
//! `1.5s`, `250us`, `100ns`; a bare number is milliseconds.

use std::time::Duration;

/// Parses a duration flag value.
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("\"{text}\" is not a duration (try 500ms, 30s, 5m, 1h)"))?;
    let seconds = match unit.trim() {
        "" | "ms" => value / 1e3,
        "ns" => value / 1e9,
        "us" | "µs" => value / 1e6,
        "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        "d" => value * 86400.0,
        other => {
            return Err(format!(
                "unknown duration unit \"{other}\" in \"{text}\" (use ns, us, ms, s, m, h, d)"
            ));
        }
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("\"{text}\" is out of range"))
}

/// Formats nanoseconds the way people read latencies: `892.1ms`, `1.52s`, `340µs`.
pub fn format_ns(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2}s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.1}ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.0}µs", ns / 1e3)
    } else {
        format!("{ns:.0}ns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse("250"), Ok(Duration::from_millis(250)));
        assert!(parse("fast").is_err());
        assert!(parse("5 parsecs").is_err());
    }

    #[test]
    fn formats_latencies() {
        assert_eq!(format_ns(892_100_000.0), "892.1ms");
        assert_eq!(format_ns(1_523_000_000.0), "1.52s");
        assert_eq!(format_ns(340_000.0), "340µs");
    }
}
