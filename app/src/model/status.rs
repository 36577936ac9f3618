//! Where each barrio stands on the way to its diagnóstico temprano — how much was drawn, and
//! whether its latest version still says all of it — for the staff's list (`/equipo`).

use serde::{Deserialize, Serialize};

/// A barrio's state, from the staff's point of view. The order of the variants is the order
/// of work: what needs someone first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It has a diagnóstico, but marks arrived, changed, were deleted or reviewed since.
    Desactualizado,
    /// Marks were drawn and no diagnóstico was generated yet.
    SinDiagnostico,
    /// The latest diagnóstico was generated after every change.
    AlDia,
    /// Nothing drawn yet.
    SinMarcas,
}

impl Status {
    /// Every status, in the order of work.
    pub const ALL: [Status; 4] = [Status::Desactualizado, Status::SinDiagnostico, Status::AlDia, Status::SinMarcas];

    /// The wire code (`desactualizado`, ...), as in `data-status` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Status::Desactualizado => "desactualizado",
            Status::SinDiagnostico => "sin_diagnostico",
            Status::AlDia => "al_dia",
            Status::SinMarcas => "sin_marcas",
        }
    }

    /// What a staff member reads on the barrio's chip (the version number goes after
    /// "Al día").
    pub fn label_es(self) -> &'static str {
        match self {
            Status::Desactualizado => "Marcas nuevas sin consolidar",
            Status::SinDiagnostico => "Sin diagnóstico",
            Status::AlDia => "Al día",
            Status::SinMarcas => "Sin marcas",
        }
    }

    /// The filter chip's words after the count: "3 por consolidar".
    pub fn filter_es(self) -> &'static str {
        match self {
            Status::Desactualizado => "por consolidar",
            Status::SinDiagnostico => "sin diagnóstico",
            Status::AlDia => "al día",
            Status::SinMarcas => "sin marcas",
        }
    }
}

/// The latest diagnóstico of a barrio, in brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatestDiagnostico {
    pub number: u32,
    /// When it was generated (server clock).
    pub created_at_ms: i64,
    pub created_by: String,
    /// Its totals: live marks consolidated, hotspots found.
    pub marks: u32,
    pub hotspots: u32,
}

/// One barrio with its counts and status (`GET /api/v1/diagnosticos/status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarrioStatus {
    pub barrio_id: i64,
    pub code: String,
    /// The barrio's city (DIVIPOLA code).
    #[serde(default)]
    pub municipio: String,
    pub name: String,
    pub comuna: Option<String>,
    /// Marks that count: current versions, not deleted, not rejected by a review.
    pub marks: u32,
    /// Marks not deleted whose latest review rejects them.
    pub rejected: u32,
    /// Distinct workshops among the marks that count.
    pub workshops: u32,
    /// Distinct participants among the marks that count, as the diagnóstico counts them
    /// ([`crate::model::diagnostico::participant`]).
    pub participants: u32,
    /// When the server last received a version of one of the barrio's marks (a new mark, an
    /// edit or a deletion), server clock; `None` when none ever arrived.
    pub last_mark_ms: Option<i64>,
    /// The last change a diagnóstico would see: a version of a mark, cause or solution that
    /// became current, or a review; `None` when there was none.
    pub last_change_ms: Option<i64>,
    /// How many diagnósticos were generated.
    pub diagnosticos: u32,
    pub latest: Option<LatestDiagnostico>,
    pub status: Status,
}

/// The status of a barrio with `marks` marks that count and `rejected` rejected ones, whose
/// latest diagnóstico (if any) was generated at `latest_at_ms`, and whose last change was at
/// `last_change_ms`. A change in the same millisecond as the diagnóstico counts as after it:
/// better to offer a version too many than to call a barrio up to date that is not.
pub fn status_of(marks: u32, rejected: u32, latest_at_ms: Option<i64>, last_change_ms: Option<i64>) -> Status {
    match latest_at_ms {
        Some(at) if last_change_ms.is_some_and(|changed| changed >= at) => Status::Desactualizado,
        Some(_) => Status::AlDia,
        // Only rejected marks left: something was drawn, and a version would say it is empty.
        None if marks > 0 || rejected > 0 => Status::SinDiagnostico,
        None => Status::SinMarcas,
    }
}

/// Sorts barrios for work: by [`Status`] order, then the most recent change first, then the
/// order they came in (the caller gives them by name).
pub fn sort_for_work(list: &mut [BarrioStatus]) {
    list.sort_by(|a, b| a.status.cmp(&b.status).then_with(|| b.last_change_ms.cmp(&a.last_change_ms)));
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_764_000_000_000;

    #[test]
    fn nothing_drawn_marks_only_then_a_version_then_changes() {
        assert_eq!(status_of(0, 0, None, None), Status::SinMarcas);
        assert_eq!(status_of(0, 0, None, Some(T)), Status::SinMarcas, "every mark deleted before any version");
        assert_eq!(status_of(3, 0, None, Some(T)), Status::SinDiagnostico);
        assert_eq!(status_of(0, 2, None, Some(T)), Status::SinDiagnostico, "all rejected: still drawn");
        assert_eq!(status_of(3, 0, Some(T + 10), Some(T)), Status::AlDia);
        assert_eq!(status_of(4, 0, Some(T + 10), Some(T + 11)), Status::Desactualizado, "a mark after the version");
        assert_eq!(status_of(3, 0, Some(T + 10), Some(T + 10)), Status::Desactualizado, "the same millisecond counts as after");
        assert_eq!(status_of(0, 0, Some(T + 10), Some(T + 20)), Status::Desactualizado, "everything deleted since");
        assert_eq!(status_of(0, 0, Some(T + 10), Some(T)), Status::AlDia, "an empty version, nothing since");
        assert_eq!(status_of(0, 0, Some(T), None), Status::AlDia);
    }

    fn barrio(name: &str, status: Status, last_change_ms: Option<i64>) -> BarrioStatus {
        BarrioStatus {
            municipio: "47001".into(),
            barrio_id: 1,
            code: name.to_lowercase(),
            name: name.into(),
            comuna: None,
            marks: 0,
            rejected: 0,
            workshops: 0,
            participants: 0,
            last_mark_ms: last_change_ms,
            last_change_ms,
            diagnosticos: 0,
            latest: None,
            status,
        }
    }

    #[test]
    fn work_comes_first_then_up_to_date_then_empty_barrios() {
        let mut list = vec![
            barrio("Ancón", Status::SinMarcas, None),
            barrio("Bastidas", Status::AlDia, Some(T)),
            barrio("Cundí", Status::SinDiagnostico, Some(T)),
            barrio("Delicias", Status::Desactualizado, Some(T)),
            barrio("Galicia", Status::SinDiagnostico, Some(T + 5)),
            barrio("Bavaria", Status::SinMarcas, None),
        ];
        sort_for_work(&mut list);
        let names: Vec<&str> = list.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["Delicias", "Galicia", "Cundí", "Bastidas", "Ancón", "Bavaria"]);
    }

    #[test]
    fn codes_are_the_wire_names() {
        for s in Status::ALL {
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
        }
        let mut sorted = Status::ALL;
        sorted.sort();
        assert_eq!(sorted, Status::ALL, "ALL is in the order of work");
    }
}
