//! Documents written on a device and sent as numbered versions (actas, fichas de intervención):
//! what they share, and how a list of them is drawn from the server's copies and the device's.
//! Pure.

use uuid::Uuid;

/// A document kept as numbered versions: a version is immutable, the highest counts, and a
/// withdrawn document is a version marked `deleted`.
pub trait Versioned: Clone {
    fn id(&self) -> Uuid;
    fn version(&self) -> u32;
    fn barrio_id(&self) -> i64;
    /// The day it is about (`YYYY-MM-DD`): lists put the newest first.
    fn fecha(&self) -> &str;
    fn updated_at_ms(&self) -> i64;
    fn deleted(&self) -> bool;
}

/// One document in a list: its latest version here or on the server, and whether it waits.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<T> {
    pub doc: T,
    /// Saved on this device and not confirmed by the server yet.
    pub waiting: bool,
    /// The server's words when it refused the device's version.
    pub refused: Option<String>,
}

/// The server's documents and this device's (`(doc, sent, refused)`), one line each: the
/// higher version wins, and a version only here is waiting. Newest first; withdrawn ones left
/// out.
pub fn merge_lines<T: Versioned>(server: Vec<T>, local: Vec<(T, bool, Option<String>)>) -> Vec<Line<T>> {
    let mut lines: Vec<Line<T>> = server.into_iter().map(|doc| Line { doc, waiting: false, refused: None }).collect();
    for (doc, sent, refused) in local {
        match lines.iter_mut().find(|l| l.doc.id() == doc.id()) {
            Some(line) if line.doc.version() >= doc.version() => {}
            Some(line) => *line = Line { doc, waiting: !sent, refused },
            None => lines.push(Line { doc, waiting: !sent, refused }),
        }
    }
    lines.retain(|l| !l.doc.deleted());
    lines.sort_by(|a, b| b.doc.fecha().cmp(a.doc.fecha()).then(b.doc.updated_at_ms().cmp(&a.doc.updated_at_ms())));
    lines
}

/// Of this device's copy and the server's, the newer version (the device's on a tie: it may
/// not be sent yet).
pub fn newer<T: Versioned>(local: Option<T>, server: Option<T>) -> Option<T> {
    match (local, server) {
        (Some(l), Some(s)) if s.version() > l.version() => Some(s),
        (Some(l), _) => Some(l),
        (None, s) => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Doc(u128, u32, &'static str, bool);

    impl Versioned for Doc {
        fn id(&self) -> Uuid {
            Uuid::from_u128(self.0)
        }
        fn version(&self) -> u32 {
            self.1
        }
        fn barrio_id(&self) -> i64 {
            1
        }
        fn fecha(&self) -> &str {
            self.2
        }
        fn updated_at_ms(&self) -> i64 {
            0
        }
        fn deleted(&self) -> bool {
            self.3
        }
    }

    #[test]
    fn the_newer_version_wins_and_one_only_here_waits() {
        let server = vec![Doc(1, 2, "2026-12-01", false), Doc(2, 1, "2026-11-01", false)];
        let local = vec![
            (Doc(1, 1, "2026-12-01", false), true, None),
            (Doc(2, 2, "2026-11-01", false), false, None),
            (Doc(3, 1, "2026-12-05", false), false, None),
        ];
        let lines = merge_lines(server, local);
        let seen: Vec<(u128, u32, bool)> = lines.iter().map(|l| (l.doc.0, l.doc.1, l.waiting)).collect();
        assert_eq!(seen, vec![(3, 1, true), (1, 2, false), (2, 2, true)]);
        assert!(merge_lines(vec![Doc(4, 1, "2026-12-01", true)], vec![]).is_empty(), "withdrawn ones are left out");
    }

    #[test]
    fn the_device_copy_is_opened_unless_the_server_has_a_newer_one() {
        assert_eq!(newer(Some(Doc(1, 2, "", false)), Some(Doc(1, 2, "", false))).map(|d| d.1), Some(2));
        assert_eq!(newer(Some(Doc(1, 1, "a", false)), Some(Doc(1, 2, "b", false))).map(|d| d.2), Some("b"));
        assert_eq!(newer(None, Some(Doc(1, 1, "s", false))).map(|d| d.2), Some("s"));
        assert_eq!(newer::<Doc>(None, None), None);
    }
}
