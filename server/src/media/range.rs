//! The byte ranges audio players ask for (`Range: bytes=…`): one range is answered with its
//! part; several, or a header that is not one, get the whole file, as HTTP allows.

/// What to answer for a file of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranged {
    Whole,
    /// Bytes `start..=end`.
    Part {
        start: u64,
        end: u64,
    },
    /// 416: the range starts past the end.
    Unsatisfiable,
}

/// The answer to a `Range` header (`None`: no header) for a file of `len` bytes (never 0).
pub fn parse(header: Option<&str>, len: u64) -> Ranged {
    let Some(spec) = header.map(str::trim).and_then(|h| h.strip_prefix("bytes=")) else { return Ranged::Whole };
    if spec.contains(',') || len == 0 {
        return Ranged::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else { return Ranged::Whole };
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    match (first.trim().is_empty(), number(first), number(last)) {
        // bytes=-n: the last n bytes.
        (true, _, Some(0)) => Ranged::Unsatisfiable,
        (true, _, Some(n)) => Ranged::Part { start: len.saturating_sub(n), end: len - 1 },
        (false, Some(start), _) if start >= len => Ranged::Unsatisfiable,
        // bytes=a-
        (false, Some(start), None) if last.trim().is_empty() => Ranged::Part { start, end: len - 1 },
        (false, Some(start), Some(end)) if start <= end => Ranged::Part { start, end: end.min(len - 1) },
        _ => Ranged::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_range_is_answered_in_each_of_its_forms() {
        assert_eq!(parse(None, 100), Ranged::Whole);
        assert_eq!(parse(Some("bytes=0-9"), 100), Ranged::Part { start: 0, end: 9 });
        assert_eq!(parse(Some("bytes=90-200"), 100), Ranged::Part { start: 90, end: 99 }, "clipped to the end");
        assert_eq!(parse(Some("bytes=10-"), 100), Ranged::Part { start: 10, end: 99 });
        assert_eq!(parse(Some("bytes=-10"), 100), Ranged::Part { start: 90, end: 99 });
        assert_eq!(parse(Some("bytes=-1000"), 100), Ranged::Part { start: 0, end: 99 });
        assert_eq!(parse(Some("bytes=0-0"), 1), Ranged::Part { start: 0, end: 0 });
    }

    #[test]
    fn past_the_end_is_unsatisfiable_and_anything_else_gets_the_whole_file() {
        assert_eq!(parse(Some("bytes=100-"), 100), Ranged::Unsatisfiable);
        assert_eq!(parse(Some("bytes=100-120"), 100), Ranged::Unsatisfiable);
        assert_eq!(parse(Some("bytes=-0"), 100), Ranged::Unsatisfiable);
        for ignored in ["items=0-9", "bytes=9-0", "bytes=a-b", "bytes=0-9,20-29", "bytes=-", "bytes=", "bytes=+1-2", "bytes=1-2-3"] {
            assert_eq!(parse(Some(ignored), 100), Ranged::Whole, "{ignored}");
        }
    }
}
