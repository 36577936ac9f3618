//! The category taxonomy, kept as data in this one file: codes, Spanish and English labels,
//! colours, icons and the `sensitive` flag. Names follow Policía Nacional (SIEDCO) crime
//! statistics and the Código Nacional de Seguridad y Convivencia (Ley 1801 de 2016).

use serde::{Deserialize, Serialize};

/// What kind of thing a mark records. Only problems exist in this first slice; protective
/// factors, actors, causes and solutions join with the workshop stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    Problem,
}

/// The group a category belongs to. Each group has its own marker shape, so categories stay
/// apart for colour-blind participants and in black-and-white prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryGroup {
    /// Delitos (SIEDCO names): circle marker.
    Crime,
    /// Comportamientos contrarios a la convivencia (Ley 1801): square marker.
    Coexistence,
    /// Factores de riesgo del entorno: diamond marker.
    RiskFactor,
}

impl CategoryGroup {
    pub fn label_es(self) -> &'static str {
        match self {
            CategoryGroup::Crime => "Delitos",
            CategoryGroup::Coexistence => "Convivencia",
            CategoryGroup::RiskFactor => "Factores de riesgo",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            CategoryGroup::Crime => "Crimes",
            CategoryGroup::Coexistence => "Coexistence",
            CategoryGroup::RiskFactor => "Risk factors",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    /// Stable identifier stored with every mark; never renamed once used.
    pub code: &'static str,
    pub kind: MarkKind,
    pub group: CategoryGroup,
    pub label_es: &'static str,
    pub label_en: &'static str,
    /// Marker colour (hex). Chosen to stay legible with white icons in sunlight.
    pub color: &'static str,
    /// SVG content drawn in a 24×24 box, white strokes on the marker colour.
    pub icon: &'static str,
    /// A precise mark of this category could endanger the person who made it.
    pub sensitive: bool,
}

impl Category {
    pub fn by_code(code: &str) -> Option<&'static Category> {
        CATEGORIES.iter().find(|c| c.code == code)
    }
}

/// Wraps an icon's paths in the shared white-stroke style.
macro_rules! icon {
    ($($body:literal),+ $(,)?) => { concat!(r##"<g fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">"##, $($body),+, "</g>") };
}

pub const CATEGORIES: &[Category] = &[
    Category {
        code: "hurto_personas",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Hurto a personas",
        label_en: "Street robbery",
        color: "#c62828",
        // A handbag with a grabbing arrow.
        icon: icon!(
            r#"<path d="M5 10h10l1 10H4z"/>"#,
            r#"<path d="M7.5 10V8a2.5 2.5 0 0 1 5 0v2"/>"#,
            r#"<path d="M15 5l5-2M20 3v4"/>"#
        ),
        sensitive: false,
    },
    Category {
        code: "hurto_residencias",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Hurto a residencias",
        label_en: "Burglary",
        color: "#ad1457",
        // A house with a broken window.
        icon: icon!(
            r#"<path d="M3 11l9-7 9 7"/>"#,
            r#"<path d="M5 10v10h14V10"/>"#,
            r#"<path d="M9 13h6v5H9zM9 13l3 2.5-1 2.5"/>"#
        ),
        sensitive: false,
    },
    Category {
        code: "extorsion",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Extorsión (vacuna)",
        label_en: "Extortion",
        color: "#6a1b9a",
        // An envelope with a peso sign.
        icon: icon!(
            r#"<path d="M3 6h18v12H3z"/>"#,
            r#"<path d="M3 6l9 6 9-6"/>"#,
            r#"<path d="M12 12.5v6M14 14h-3a1.2 1.2 0 0 0 0 2.4h2a1.2 1.2 0 0 1 0 2.4h-3"/>"#
        ),
        sensitive: true,
    },
    Category {
        code: "rinas",
        kind: MarkKind::Problem,
        group: CategoryGroup::Coexistence,
        label_es: "Riñas",
        label_en: "Fights",
        color: "#e65100",
        // A burst: a fight breaking out.
        icon: icon!(
            r#"<path d="M12 2l2 5 5-2-2 5 5 2-5 2 2 5-5-2-2 5-2-5-5 2 2-5-5-2 5-2-2-5 5 2z"/>"#
        ),
        sensitive: false,
    },
    Category {
        code: "expendio_sustancias",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Expendio de drogas",
        label_en: "Drug dealing",
        color: "#4527a0",
        // A capsule passed from one hand to another.
        icon: icon!(
            r#"<path d="M6.5 13.5l7-7a3.5 3.5 0 0 1 5 5l-7 7a3.5 3.5 0 0 1-5-5z"/>"#,
            r#"<path d="M10 10l5 5"/>"#
        ),
        sensitive: true,
    },
    Category {
        code: "consumo_sustancias",
        kind: MarkKind::Problem,
        group: CategoryGroup::Coexistence,
        label_es: "Consumo en espacio público",
        label_en: "Drug use in public",
        color: "#795548",
        // A cigarette with smoke.
        icon: icon!(
            r#"<path d="M3 16h15v3H3z"/>"#,
            r#"<path d="M21 16v3"/>"#,
            r#"<path d="M16 12c0-2 2-2 2-4s-2-2-2-4M20 12c0-2 2-2 2-4"/>"#
        ),
        sensitive: false,
    },
    Category {
        code: "alumbrado_deficiente",
        kind: MarkKind::Problem,
        group: CategoryGroup::RiskFactor,
        label_es: "Alumbrado deficiente",
        label_en: "Poor street lighting",
        color: "#37474f",
        // A light bulb, struck through.
        icon: icon!(
            r#"<path d="M9 18h6M10 21h4"/>"#,
            r#"<path d="M8.5 15a6 6 0 1 1 7 0c-.8.6-1 1.5-1 3h-5c0-1.5-.2-2.4-1-3z"/>"#,
            r#"<path d="M4 3l16 18"/>"#
        ),
        sensitive: false,
    },
    Category {
        code: "lote_baldio",
        kind: MarkKind::Problem,
        group: CategoryGroup::RiskFactor,
        label_es: "Lote baldío",
        label_en: "Vacant lot",
        color: "#558b2f",
        // A fence with tall weeds.
        icon: icon!(
            r#"<path d="M3 20h18M5 20V9l1.5-2L8 9v11M16 20V9l1.5-2L19 9v11M5 12h14M5 16h14"/>"#,
            r#"<path d="M10.5 20c0-3 1-5 1.5-7M13.5 20c0-3-.5-5-1.5-7"/>"#
        ),
        sensitive: false,
    },
    Category {
        code: "punto_basura",
        kind: MarkKind::Problem,
        group: CategoryGroup::RiskFactor,
        label_es: "Punto crítico de basuras",
        label_en: "Rubbish dump",
        color: "#00695c",
        // A rubbish bin.
        icon: icon!(
            r#"<path d="M4 6h16M9 6V4h6v2"/>"#,
            r#"<path d="M6 6l1 15h10l1-15"/>"#,
            r#"<path d="M10 10v7M14 10v7"/>"#
        ),
        sensitive: false,
    },
    Category {
        code: "vivienda_abandonada",
        kind: MarkKind::Problem,
        group: CategoryGroup::RiskFactor,
        label_es: "Vivienda abandonada",
        label_en: "Abandoned house",
        color: "#5d4037",
        // A house with a boarded-up door.
        icon: icon!(
            r#"<path d="M3 11l9-7 9 7"/>"#,
            r#"<path d="M5 10v10h14V10"/>"#,
            r#"<path d="M9 12l6 6M15 12l-6 6"/>"#
        ),
        sensitive: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut seen = HashSet::new();
        for c in CATEGORIES {
            assert!(seen.insert(c.code), "duplicate code {}", c.code);
            assert!(c.code.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'), "{}", c.code);
        }
    }

    #[test]
    fn the_first_slice_offers_the_problems_the_issue_names() {
        for code in ["hurto_personas", "rinas", "expendio_sustancias", "consumo_sustancias", "alumbrado_deficiente", "lote_baldio"] {
            let c = Category::by_code(code).expect(code);
            assert_eq!(c.kind, MarkKind::Problem);
        }
        assert!(CATEGORIES.len() >= 5);
    }

    #[test]
    fn drug_dealing_and_extortion_are_sensitive() {
        assert!(Category::by_code("expendio_sustancias").unwrap().sensitive);
        assert!(Category::by_code("extorsion").unwrap().sensitive);
        assert!(!Category::by_code("alumbrado_deficiente").unwrap().sensitive);
    }

    #[test]
    fn colours_are_hex_and_icons_are_svg_groups() {
        for c in CATEGORIES {
            assert!(c.color.len() == 7 && c.color.starts_with('#'), "{}", c.code);
            assert!(c.icon.starts_with("<g ") && c.icon.ends_with("</g>"), "{}", c.code);
            assert!(!c.label_es.is_empty() && !c.label_en.is_empty());
        }
    }

    #[test]
    fn unknown_codes_are_not_found() {
        assert!(Category::by_code("homicidio_inventado").is_none());
        assert!(Category::by_code("").is_none());
    }
}
