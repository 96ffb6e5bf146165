//! ISO-8601 intervals as the Metrics API takes them: `start/end`, `start/duration` or
//! `duration/end`, where a time is RFC 3339 or `now` with an offset and a truncation
//! (`now-2m|m`, `now|h`, `now-1d|d`) and a duration is `PnDTnHnMnS` (or `PnW`).

/// Unix seconds.
pub type Secs = i64;

/// Parses one interval into `[start, end)` seconds; Err is the reason, for the error answer.
pub fn parse(text: &str, now: Secs) -> Result<(Secs, Secs), String> {
    let (a, b) = text.split_once('/').ok_or_else(|| {
        format!("'{text}' is not an ISO-8601 interval (start/end, start/duration or duration/end)")
    })?;
    let (start, end) = match (a.starts_with('P'), b.starts_with('P')) {
        (false, false) => (time(a, now)?, time(b, now)?),
        (false, true) => {
            let s = time(a, now)?;
            (s, s + duration(b)?)
        }
        (true, false) => {
            let e = time(b, now)?;
            (e - duration(a)?, e)
        }
        (true, true) => {
            return Err(format!(
                "'{text}' has two durations; an interval needs at least one time"
            ))
        }
    };
    if start >= end {
        return Err(format!("'{text}' ends before it starts"));
    }
    Ok((start, end))
}

/// An RFC 3339 time, or `now` with optional `(+|-)<n>(m|h|d)` offset and `|(m|h|d)` truncation.
fn time(text: &str, now: Secs) -> Result<Secs, String> {
    if let Some(rest) = text.strip_prefix("now") {
        let (offset, trunc) = match rest.split_once('|') {
            Some((o, t)) => (o, Some(t)),
            None => (rest, None),
        };
        let mut t = now;
        if !offset.is_empty() {
            let sign = match offset.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(format!("'{text}': an offset of now starts with + or -")),
            };
            let body = &offset[1..];
            let unit = body
                .chars()
                .last()
                .ok_or_else(|| format!("'{text}': the offset has no amount"))?;
            let amount: i64 = body[..body.len() - 1]
                .parse()
                .map_err(|_| format!("'{text}': the offset amount is not a whole number"))?;
            t += sign * amount * unit_secs(unit, text)?;
        }
        if let Some(u) = trunc {
            let mut chars = u.chars();
            let (Some(unit), None) = (chars.next(), chars.next()) else {
                return Err(format!("'{text}': truncate to m, h or d"));
            };
            let step = unit_secs(unit, text)?;
            t -= t.rem_euclid(step);
        }
        return Ok(t);
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|d| d.timestamp())
        .map_err(|e| format!("'{text}' is not an ISO-8601 date-time ({e})"))
}

fn unit_secs(unit: char, text: &str) -> Result<Secs, String> {
    match unit {
        'm' => Ok(60),
        'h' => Ok(3600),
        'd' => Ok(86400),
        _ => Err(format!("'{text}': the unit must be m, h or d")),
    }
}

/// An ISO-8601 duration in seconds: `P[nW]` or `P[nD][T[nH][nM][nS]]` (whole numbers; seconds
/// may have a fraction, which is dropped).
pub fn duration(text: &str) -> Result<Secs, String> {
    let bad = || format!("'{text}' is not an ISO-8601 duration (e.g. PT1H, P3D, PT15M)");
    let body = text.strip_prefix('P').ok_or_else(bad)?;
    let (date, clock) = match body.split_once('T') {
        Some((d, c)) if !c.is_empty() => (d, Some(c)),
        Some(_) => return Err(bad()),
        None => (body, None),
    };
    let mut total = 0i64;
    let mut parts = 0;
    let mut take = |part: &str, units: &[(char, i64)]| -> Result<(), String> {
        let mut num = String::new();
        let mut allowed = units.iter();
        for ch in part.chars() {
            if ch.is_ascii_digit() || (ch == '.' && !num.is_empty()) {
                num.push(ch);
                continue;
            }
            // Units must come in order, each at most once.
            let (_, secs) = allowed.by_ref().find(|(u, _)| *u == ch).ok_or_else(bad)?;
            let whole = num.split('.').next().unwrap_or_default();
            if whole.is_empty() || (num.contains('.') && ch != 'S') {
                return Err(bad());
            }
            total += whole.parse::<i64>().map_err(|_| bad())? * secs;
            parts += 1;
            num.clear();
        }
        if num.is_empty() {
            Ok(())
        } else {
            Err(bad())
        }
    };
    take(date, &[('W', 604_800), ('D', 86_400)])?;
    if let Some(c) = clock {
        take(c, &[('H', 3600), ('M', 60), ('S', 1)])?;
    }
    if parts == 0 {
        return Err(bad());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2020-01-01T02:13:27Z, the spec's own example.
    const NOW: Secs = 1_577_844_807;

    fn at(s: &str) -> Secs {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    #[test]
    fn now_with_offsets_and_truncation_as_the_spec_shows() {
        assert_eq!(time("now-2m|m", NOW).unwrap(), at("2020-01-01T02:11:00Z"));
        assert_eq!(time("now|h", NOW).unwrap(), at("2020-01-01T02:00:00Z"));
        assert_eq!(time("now-1d|d", NOW).unwrap(), at("2019-12-31T00:00:00Z"));
        assert_eq!(time("now", NOW).unwrap(), NOW);
        assert_eq!(time("now+1h", NOW).unwrap(), NOW + 3600);
        for bad in ["now-2x", "now2m", "now-m", "now|q", "now|mm", "yesterday"] {
            assert!(time(bad, NOW).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_three_interval_forms() {
        assert_eq!(
            parse("2019-10-17T20:17:00.000Z/PT2H", NOW).unwrap(),
            (at("2019-10-17T20:17:00Z"), at("2019-10-17T22:17:00Z"))
        );
        assert_eq!(parse("PT15M/now", NOW).unwrap(), (NOW - 900, NOW));
        assert_eq!(
            parse("2020-01-01T00:00:00Z/2020-01-01T03:00:00+01:00", NOW).unwrap(),
            (at("2020-01-01T00:00:00Z"), at("2020-01-01T02:00:00Z"))
        );
    }

    #[test]
    fn durations() {
        assert_eq!(duration("PT1H").unwrap(), 3600);
        assert_eq!(duration("P3D").unwrap(), 3 * 86400);
        assert_eq!(duration("P1DT2H30M").unwrap(), 86400 + 2 * 3600 + 1800);
        assert_eq!(duration("PT90S").unwrap(), 90);
        assert_eq!(duration("PT1.5S").unwrap(), 1);
        assert_eq!(duration("P1W").unwrap(), 604_800);
        for bad in [
            "P", "PT", "1H", "PT1", "PTH", "P1H", "PT1M1H", "PT1.5M", "P-1D",
        ] {
            assert!(duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_intervals_say_why() {
        assert!(parse("2020-13-01T00:00:00Z/PT1H", NOW)
            .unwrap_err()
            .contains("date-time"));
        assert!(parse("PT1H", NOW).unwrap_err().contains("interval"));
        assert!(parse("PT1H/PT2H", NOW)
            .unwrap_err()
            .contains("two durations"));
        assert!(parse("now/now-1h", NOW)
            .unwrap_err()
            .contains("ends before"));
    }
}
