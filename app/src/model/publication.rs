//! The published version of a diagnóstico, "editado por seguridad" (issue 9): what anyone may
//! read of a barrio's diagnóstico — marks counted on a grid ([`super::redaction`]), totals,
//! causes and institutions by their counts, and only the texts staff approved one by one —
//! and how it is built from a stored diagnóstico. Pure: data in, data out.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::redaction::{redact, Grid, PublishedCategory, PublishedCell, RedactionParams};
use super::review::StoredDiagnostico;
use super::{Bilingual, Cause, Mark};

/// The longest text staff may publish (characters), and how many texts one publication holds.
pub const MAX_PUBLISHED_TEXT: usize = 600;
pub const MAX_PUBLISHED_TEXTS: usize = 300;

/// What a text was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextKind {
    /// A mark's description.
    Mark,
    Cause,
    Solution,
}

impl TextKind {
    pub fn label_es(self) -> &'static str {
        match self {
            TextKind::Mark => "Descripción de una marca",
            TextKind::Cause => "Causa",
            TextKind::Solution => "Propuesta de solución",
        }
    }
}

/// A text of the diagnóstico that staff may approve for publication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextCandidate {
    pub id: Uuid,
    pub kind: TextKind,
    /// The mark's or cause's category code, or the solution's institution code.
    pub category: String,
    pub text: String,
}

/// A text staff approved: the record it comes from and the words to publish (the original,
/// or as staff edited it, e.g. without a name or an address).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovedText {
    pub id: Uuid,
    pub text: String,
}

/// `POST /barrios/{id}/publications` (and its preview): which diagnóstico, how coarse, which texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    pub diagnostico: u32,
    #[serde(default)]
    pub params: RedactionParams,
    #[serde(default)]
    pub texts: Vec<ApprovedText>,
}

/// A published text: no record id, no alias, no place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedText {
    pub kind: TextKind,
    pub category: String,
    pub text: String,
}

/// A cause category and how many problems it is tied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedCause {
    pub category: String,
    pub problems: u32,
    pub participants: u32,
}

/// An institution and what the community asks of it, by its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedInstitution {
    pub institution: String,
    pub solutions: u32,
    pub problems: u32,
    pub participants: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicTotals {
    /// Marks shown, in cells.
    pub marks: u32,
    /// Marks of sensitive categories left out (too few people reported them in their cell).
    pub suppressed_marks: u32,
    pub participants: u32,
    pub workshops: u32,
    pub causes: u32,
    pub solutions: u32,
}

/// A barrio's published diagnóstico. Stored as it was approved and never changed; withdrawing
/// it only dates its end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    pub barrio_id: i64,
    pub barrio_name: String,
    /// 1, 2, 3… per barrio.
    pub number: u32,
    pub diagnostico_number: u32,
    pub diagnostico_at_ms: i64,
    pub published_at_ms: i64,
    #[serde(default)]
    pub withdrawn_at_ms: Option<i64>,
    pub params: RedactionParams,
    pub totals: PublicTotals,
    pub categories: Vec<PublishedCategory>,
    pub cells: Vec<PublishedCell>,
    pub causes: Vec<PublishedCause>,
    pub institutions: Vec<PublishedInstitution>,
    pub texts: Vec<PublishedText>,
}

impl Publication {
    /// The cells as hotspots of zones (each its square), so the public map draws them with
    /// the staff map's markers and legend. Nothing in them but what the cell says.
    pub fn map_hotspots(&self) -> Vec<super::Hotspot> {
        use super::diagnostico::{AffectedProfile, DaysProfile, FrequencyProfile, SinceProfile, TimeProfile};
        self.cells
            .iter()
            .enumerate()
            .map(|(i, c)| super::Hotspot {
                id: Uuid::from_u128(i as u128 + 1),
                barrio_id: self.barrio_id,
                category: c.category.clone(),
                sensitive: c.sensitive,
                geometry_kind: super::GeometryKind::Zone,
                geometry: geojson::Geometry::new(geojson::Value::Polygon(vec![c.square()])),
                count: c.marks,
                participants: c.participants,
                workshops: 0,
                first_reported_ms: self.diagnostico_at_ms,
                last_reported_ms: self.diagnostico_at_ms,
                times: TimeProfile::default(),
                days: DaysProfile::default(),
                frequency: FrequencyProfile::default(),
                since: SinceProfile::default(),
                affected: AffectedProfile::default(),
                source_ids: Vec::new(),
                adjustments: Vec::new(),
            })
            .collect()
    }
}

/// What staff see before publishing: the publication as it would be, and every text they
/// could approve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicationDraft {
    pub publication: Publication,
    pub candidates: Vec<TextCandidate>,
}

/// A barrio with a publication in force, for the public list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicBarrio {
    pub barrio_id: i64,
    pub name: String,
    pub comuna: Option<String>,
    pub number: u32,
    pub published_at_ms: i64,
}

/// A staff list entry: every publication of a barrio, in force or withdrawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicationSummary {
    pub number: u32,
    pub diagnostico_number: u32,
    pub published_at_ms: i64,
    pub withdrawn_at_ms: Option<i64>,
    pub texts: u32,
    pub cells: u32,
    pub params: RedactionParams,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum PublishError {
    #[error("the redaction parameters must be cells of 25 to 2000 m and k of 2 to 50")]
    Params,
    #[error("text {0} is not a text of this diagnóstico that may be published")]
    UnknownText(Uuid),
    #[error("text {0} is approved twice")]
    DuplicateText(Uuid),
    #[error("an approved text is empty")]
    EmptyText,
    #[error("an approved text is longer than {MAX_PUBLISHED_TEXT} characters")]
    TextTooLong,
    #[error("at most {MAX_PUBLISHED_TEXTS} texts per publication")]
    TooManyTexts,
    /// The cells do not fit those of an earlier publication of the barrio: laid over each
    /// other, the two would tell smaller pieces than either.
    #[error("cells of {sensitive_m} m (sensitive) and {plain_m} m were published before: use those sizes, or exact multiples or divisors of them")]
    GridMismatch { sensitive_m: f64, plain_m: f64 },
}

impl PublishError {
    pub fn code(&self) -> &'static str {
        match self {
            PublishError::Params => "bad_redaction",
            PublishError::UnknownText(_) => "unknown_text",
            PublishError::DuplicateText(_) => "duplicate_text",
            PublishError::EmptyText => "empty_text",
            PublishError::TextTooLong => "text_too_long",
            PublishError::TooManyTexts => "too_many_texts",
            PublishError::GridMismatch { .. } => "grid_mismatch",
        }
    }

    pub fn field(&self) -> &'static str {
        match self {
            PublishError::Params | PublishError::GridMismatch { .. } => "params",
            _ => "texts",
        }
    }
}

impl Bilingual for PublishError {
    fn es(&self) -> String {
        match self {
            PublishError::Params => "La edición por seguridad necesita celdas de 25 a 2000 m y un mínimo de 2 a 50 personas.".into(),
            PublishError::UnknownText(_) => "Uno de los textos aprobados no es de este diagnóstico o no se puede publicar.".into(),
            PublishError::DuplicateText(_) => "Un texto está aprobado dos veces.".into(),
            PublishError::EmptyText => "Un texto aprobado quedó vacío: quítelo o escríbalo.".into(),
            PublishError::TextTooLong => format!("Un texto aprobado pasa de {MAX_PUBLISHED_TEXT} caracteres."),
            PublishError::TooManyTexts => format!("Se pueden publicar hasta {MAX_PUBLISHED_TEXTS} textos."),
            PublishError::GridMismatch { sensitive_m, plain_m } => format!(
                "Este barrio ya se publicó con cuadros de {} m (problemas sensibles) y {} m (los demás). Use esos tamaños, o múltiplos \
                 o divisores exactos de ellos: con cuadros que no encajan, quien compare las dos publicaciones vería sitios más precisos.",
                sensitive_m.round(),
                plain_m.round()
            ),
        }
    }

    fn en(&self) -> String {
        super::sentence(self)
    }
}

/// What a publication is built from: a stored diagnóstico, its source marks in the versions it
/// was made from, and the barrio's causes (for their texts).
pub struct Source<'a> {
    pub barrio_name: &'a str,
    /// The barrio's south-west corner: a public point the grid is laid from.
    pub origin: (f64, f64),
    pub stored: &'a StoredDiagnostico,
    pub marks: &'a [Mark],
    pub causes: &'a [Cause],
    /// The grids of the barrio's earlier publications, withdrawn ones too (they may have been
    /// downloaded): a new one's cells must nest with theirs.
    pub earlier: &'a [RedactionParams],
}

/// Whether grids of sides `a` and `b` laid from the same corner nest: one side is a whole
/// multiple of the other, so every cell of the finer lies inside one cell of the coarser.
fn nests(a: f64, b: f64) -> bool {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let ratio = hi / lo;
    (ratio - ratio.round()).abs() < 1e-6
}

/// The texts of the diagnóstico staff may approve: descriptions of marks that are shown (a
/// mark left out for safety never has its words published), causes' and solutions' texts.
fn candidates(src: &Source<'_>, shown: &[Uuid]) -> Vec<TextCandidate> {
    let d = &src.stored.diagnostico;
    let text = |t: &str| (!t.trim().is_empty()).then(|| t.trim().to_string());
    let marks = src.marks.iter().filter(|m| !m.deleted && shown.binary_search(&m.id).is_ok()).filter_map(|m| {
        text(&m.description).map(|t| TextCandidate { id: m.id, kind: TextKind::Mark, category: m.category.clone(), text: t })
    });
    let cause_ids: std::collections::BTreeSet<Uuid> = d.causes.iter().flat_map(|c| c.cause_ids.iter().copied()).collect();
    let causes = src.causes.iter().filter(|c| !c.deleted && cause_ids.contains(&c.id)).filter_map(|c| {
        text(&c.text).map(|t| TextCandidate { id: c.id, kind: TextKind::Cause, category: c.category.clone(), text: t })
    });
    let solutions = d.solutions_by_institution.iter().flat_map(|g| {
        g.solutions.iter().filter_map(|s| {
            text(&s.text).map(|t| TextCandidate { id: s.id, kind: TextKind::Solution, category: g.institution.clone(), text: t })
        })
    });
    let mut out: Vec<TextCandidate> = marks.chain(causes).chain(solutions).collect();
    out.sort_by(|a, b| (a.kind, &a.category, &a.text, a.id).cmp(&(b.kind, &b.category, &b.text, b.id)));
    out.dedup_by_key(|c| c.id);
    out
}

/// The publication of `src` with these parameters and approved texts, numbered `number`, and
/// the texts staff could approve. Refused when the parameters protect no one or a text is not
/// one of the candidates.
pub fn build(
    src: &Source<'_>,
    params: RedactionParams,
    approved: &[ApprovedText],
    number: u32,
    published_at_ms: i64,
) -> Result<PublicationDraft, PublishError> {
    let params = params.checked().ok_or(PublishError::Params)?;
    if let Some(e) = src.earlier.iter().find(|e| !nests(e.sensitive_cell_m, params.sensitive_cell_m) || !nests(e.plain_cell_m, params.plain_cell_m)) {
        return Err(PublishError::GridMismatch { sensitive_m: e.sensitive_cell_m, plain_m: e.plain_cell_m });
    }
    if approved.len() > MAX_PUBLISHED_TEXTS {
        return Err(PublishError::TooManyTexts);
    }
    let d = &src.stored.diagnostico;
    let redacted = redact(src.marks, Grid::new(src.origin), &params);
    let candidates = candidates(src, &redacted.shown);
    let mut seen = std::collections::BTreeSet::new();
    let mut texts = Vec::with_capacity(approved.len());
    for a in approved {
        let candidate = candidates.iter().find(|c| c.id == a.id).ok_or(PublishError::UnknownText(a.id))?;
        if !seen.insert(a.id) {
            return Err(PublishError::DuplicateText(a.id));
        }
        let text = a.text.trim();
        if text.is_empty() {
            return Err(PublishError::EmptyText);
        }
        if text.chars().count() > MAX_PUBLISHED_TEXT {
            return Err(PublishError::TextTooLong);
        }
        texts.push(PublishedText { kind: candidate.kind, category: candidate.category.clone(), text: text.to_string() });
    }
    texts.sort_by(|a, b| (a.kind, &a.category, &a.text).cmp(&(b.kind, &b.category, &b.text)));
    let causes = d.causes.iter().map(|c| PublishedCause { category: c.category.clone(), problems: c.problems, participants: c.participants }).collect();
    let institutions = d
        .solutions_by_institution
        .iter()
        .map(|g| PublishedInstitution {
            institution: g.institution.clone(),
            solutions: u32::try_from(g.solutions.len()).unwrap_or(u32::MAX),
            problems: g.problems,
            participants: g.participants,
        })
        .collect();
    let totals = PublicTotals {
        marks: redacted.cells.iter().map(|c| c.marks).sum(),
        suppressed_marks: redacted.suppressed_marks,
        participants: d.totals.participants,
        workshops: d.totals.workshops,
        causes: d.totals.causes,
        solutions: d.totals.solutions,
    };
    let publication = Publication {
        barrio_id: src.stored.barrio_id,
        barrio_name: src.barrio_name.to_string(),
        number,
        diagnostico_number: src.stored.number,
        diagnostico_at_ms: src.stored.created_at_ms,
        published_at_ms,
        withdrawn_at_ms: None,
        params,
        totals,
        categories: redacted.categories,
        cells: redacted.cells,
        causes,
        institutions,
        texts,
    };
    Ok(PublicationDraft { publication, candidates })
}

/// The redaction rules in plain Spanish, as the public page and the downloads state them.
pub fn rules_es(p: &RedactionParams) -> Vec<String> {
    let m = |v: f64| format!("{} m", v.round());
    vec![
        "No se publican alias, nombres ni datos de quienes participaron, ni de qué taller o dispositivo vino cada marca.".into(),
        format!(
            "Las marcas no se muestran en su sitio exacto: se cuentan por cuadros de {} de lado, y el mapa muestra cada cuadro con un marcador en su centro.",
            m(p.plain_cell_m)
        ),
        format!(
            "Los problemas sensibles (por ejemplo, venta de drogas o extorsión) se cuentan en cuadros más grandes, de {} de lado, \
             y solo aparecen donde al menos {} personas distintas los señalaron; si fueron menos, no se muestran.",
            m(p.sensitive_cell_m),
            p.k
        ),
        "Los textos escritos por la comunidad solo se publican si el equipo de la Secretaría revisó y aprobó cada uno.".into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostico::{Diagnostico, InstitutionGroup, MergeParams, RankedCause, RankedSolution, Totals, ENGINE_VERSION};
    use crate::model::CATEGORIES;
    use proptest::prelude::*;

    const ORIGIN: (f64, f64) = (-74.21, 11.23);

    fn sensitive() -> &'static str {
        CATEGORIES.iter().find(|c| c.sensitive).expect("a sensitive category").code
    }

    fn stored(causes: Vec<RankedCause>, solutions: Vec<InstitutionGroup>) -> StoredDiagnostico {
        let diagnostico = Diagnostico {
            barrio_id: 7,
            engine_version: ENGINE_VERSION,
            params: MergeParams::default(),
            hotspots: Vec::new(),
            causes,
            solutions_by_institution: solutions,
            totals: Totals { participants: 9, workshops: 2, causes: 1, solutions: 1, ..Default::default() },
            adjustments: Vec::new(),
        };
        StoredDiagnostico { barrio_id: 7, number: 3, created_at_ms: 1_764_000_000_000, created_by: "Equipo".into(), diagnostico }
    }

    fn mark(n: u128, category: &str, at: (f64, f64), alias: &str, description: &str) -> Mark {
        let mut m = Mark::new_point(Uuid::from_u128(n), 7, category, at.0, at.1, 1_764_000_000_000);
        m.alias = alias.into();
        m.description = description.into();
        m.workshop_id = Some(Uuid::from_u128(0xABCDEF));
        m
    }

    fn cause(n: u128, text: &str) -> Cause {
        Cause {
            id: Uuid::from_u128(n),
            barrio_id: 7,
            category: "falta_iluminacion".into(),
            text: text.into(),
            problem_ids: Vec::new(),
            alias: "Rosa".into(),
            created_at_ms: 1,
            version: 1,
            updated_at_ms: 1,
            deleted: false,
            workshop_id: None,
            hlc: None,
        }
    }

    #[test]
    fn only_approved_texts_of_shown_marks_are_published() {
        let at = (-74.2095, 11.2305);
        let marks = [
            mark(1, "alumbrado_deficiente", at, "Rosa", "Poste dañado frente a la tienda de Don Luis"),
            mark(2, sensitive(), at, "Pedro", "Venden en la casa azul"),
        ];
        let causes = [cause(10, "Nadie arregla los postes")];
        let ranked = RankedCause { category: "falta_iluminacion".into(), cause_ids: vec![Uuid::from_u128(10)], problem_ids: vec![], problems: 1, participants: 2 };
        let solution = RankedSolution { id: Uuid::from_u128(20), text: "Cambiar las luminarias".into(), cause_ids: vec![], problems: 1, participants: 2 };
        let group = InstitutionGroup { institution: "essmar".into(), problems: 1, participants: 2, solutions: vec![solution] };
        let stored = stored(vec![ranked], vec![group]);
        let src = Source { barrio_name: "Pescaíto", origin: ORIGIN, stored: &stored, marks: &marks, causes: &causes, earlier: &[] };
        let draft = build(&src, RedactionParams::default(), &[], 1, 5).expect("built");
        // The sensitive mark has one reporter: suppressed, and its words are no candidate.
        let ids: Vec<Uuid> = draft.candidates.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![Uuid::from_u128(1), Uuid::from_u128(10), Uuid::from_u128(20)]);
        assert_eq!(draft.publication.totals.suppressed_marks, 1);
        assert!(draft.publication.texts.is_empty());
        let json = serde_json::to_string(&draft.publication).expect("json");
        for secret in ["Rosa", "Pedro", "Don Luis", "casa azul", "postes", "luminarias", &Uuid::from_u128(0xABCDEF).to_string()] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
        // Approved (and edited) texts are published, under their kind and category.
        let approved = [ApprovedText { id: Uuid::from_u128(1), text: " Poste dañado frente a una tienda ".into() }];
        let p = build(&src, RedactionParams::default(), &approved, 1, 5).expect("built").publication;
        assert_eq!(p.texts, vec![PublishedText { kind: TextKind::Mark, category: "alumbrado_deficiente".into(), text: "Poste dañado frente a una tienda".into() }]);
        assert_eq!((p.institutions[0].solutions, p.causes[0].problems), (1, 1));
        // The suppressed mark's text cannot be approved; nor twice the same, nor an empty one.
        let refused = |texts: &[ApprovedText]| build(&src, RedactionParams::default(), texts, 1, 5).err();
        let two = ApprovedText { id: Uuid::from_u128(2), text: "Venden en la casa azul".into() };
        assert_eq!(refused(&[two]), Some(PublishError::UnknownText(Uuid::from_u128(2))));
        assert_eq!(refused(&[approved[0].clone(), approved[0].clone()]), Some(PublishError::DuplicateText(Uuid::from_u128(1))));
        assert_eq!(refused(&[ApprovedText { id: Uuid::from_u128(1), text: "  ".into() }]), Some(PublishError::EmptyText));
        let params = RedactionParams { k: 1, ..Default::default() };
        assert_eq!(build(&src, params, &[], 1, 5).err(), Some(PublishError::Params));
    }

    #[test]
    fn a_new_grid_must_nest_with_every_earlier_one() {
        let stored = stored(Vec::new(), Vec::new());
        let earlier = [RedactionParams::default()];
        let src = Source { barrio_name: "B", origin: ORIGIN, stored: &stored, marks: &[], causes: &[], earlier: &earlier };
        let with = |sensitive_cell_m: f64, plain_cell_m: f64| build(&src, RedactionParams { sensitive_cell_m, k: 3, plain_cell_m }, &[], 2, 5).err();
        assert_eq!(with(150.0, 50.0), None);
        assert_eq!(with(300.0, 100.0), None, "coarser, nested");
        assert_eq!(with(75.0, 25.0), None, "finer, nested");
        assert_eq!(with(200.0, 50.0), Some(PublishError::GridMismatch { sensitive_m: 150.0, plain_m: 50.0 }));
        assert_eq!(with(150.0, 60.0).map(|e| e.code()), Some("grid_mismatch"));
    }

    #[test]
    fn the_rules_name_the_parameters() {
        let rules = rules_es(&RedactionParams { sensitive_cell_m: 200.0, k: 4, plain_cell_m: 60.0 }).join(" ");
        assert!(rules.contains("200 m") && rules.contains("60 m") && rules.contains("al menos 4 personas"), "{rules}");
    }

    proptest! {
        /// Whatever the marks and whichever texts staff approve, the publication holds no
        /// alias, no workshop or device id, and no text that was not approved.
        #[test]
        fn a_publication_holds_only_what_was_approved(
            drawn in proptest::collection::vec((0u8..4, -3i32..3, -3i32..3, any::<bool>(), any::<bool>()), 0..40),
        ) {
            let marks: Vec<Mark> = drawn
                .iter()
                .enumerate()
                .map(|(i, &(who, dx, dy, is_sensitive, _))| {
                    let at = (ORIGIN.0 + 0.002 + f64::from(dx) * 0.0004, ORIGIN.1 + 0.002 + f64::from(dy) * 0.0004);
                    let category = if is_sensitive { sensitive() } else { "punto_basura" };
                    let mut m = mark(i as u128 + 1, category, at, &format!("ALIAS{who}qz"), &format!("TEXTO{i}qz"));
                    m.hlc = Some(crate::model::Hlc { ms: 1, counter: 0, node: Uuid::from_u128(0xDE71CE).to_string() });
                    m
                })
                .collect();
            let stored = stored(Vec::new(), Vec::new());
            let src = Source { barrio_name: "Barrio", origin: ORIGIN, stored: &stored, marks: &marks, causes: &[], earlier: &[] };
            let draft = build(&src, RedactionParams::default(), &[], 1, 5).expect("built");
            // Approve the candidates the draw says to approve, under a staff-edited text.
            let approved: Vec<ApprovedText> = draft
                .candidates
                .iter()
                .filter(|c| drawn[(c.id.as_u128() - 1) as usize].4)
                .map(|c| ApprovedText { id: c.id, text: format!("APROBADO {}", c.id.as_u128()) })
                .collect();
            let p = build(&src, RedactionParams::default(), &approved, 1, 5).expect("built").publication;
            let json = serde_json::to_string(&p).expect("json");
            prop_assert!(!json.contains("ALIAS") && !json.contains("TEXTO") && !json.contains("qz"), "{json}");
            for id in [Uuid::from_u128(0xABCDEF), Uuid::from_u128(0xDE71CE)] {
                prop_assert!(!json.contains(&id.to_string()));
            }
            prop_assert_eq!(p.texts.len(), approved.len());
            // No sensitive cell below k, and every mark is shown or counted as left out.
            prop_assert!(p.cells.iter().filter(|c| c.sensitive).all(|c| c.participants >= 3));
            prop_assert_eq!(p.totals.marks + p.totals.suppressed_marks, marks.len() as u32);
        }
    }
}
