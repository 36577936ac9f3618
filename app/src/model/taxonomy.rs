//! The category taxonomy, kept as data in this one file: codes, Spanish and English labels,
//! colours, icons and the `sensitive` flag. Names follow Policía Nacional (SIEDCO) crime
//! statistics and the Código Nacional de Seguridad y Convivencia (Ley 1801 de 2016).

use serde::{Deserialize, Serialize};

/// What kind of thing a mark records: a problem (crimes, coexistence, risk factors), a
/// protective factor, or an actor. Causes and solutions join with the árbol de problemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    Problem,
    Protective,
    Actor,
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
    /// Factores protectores: shield marker.
    Protective,
    /// Actores (who can act, or who puts people at risk — in aggregate only): hexagon marker.
    Actor,
}

impl CategoryGroup {
    /// In the order the palette shows them.
    pub const ALL: [CategoryGroup; 5] =
        [CategoryGroup::Crime, CategoryGroup::Coexistence, CategoryGroup::RiskFactor, CategoryGroup::Protective, CategoryGroup::Actor];
}

impl CategoryGroup {
    pub fn label_es(self) -> &'static str {
        match self {
            CategoryGroup::Crime => "Delitos",
            CategoryGroup::Coexistence => "Convivencia",
            CategoryGroup::RiskFactor => "Factores de riesgo",
            CategoryGroup::Protective => "Factores protectores",
            CategoryGroup::Actor => "Actores",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            CategoryGroup::Crime => "Crimes",
            CategoryGroup::Coexistence => "Coexistence",
            CategoryGroup::RiskFactor => "Risk factors",
            CategoryGroup::Protective => "Protective factors",
            CategoryGroup::Actor => "Actors",
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

    /// Whether marks of `code` are treated as sensitive. An unknown category is: treating it
    /// as ordinary by mistake could expose whoever made the mark.
    pub fn is_sensitive(code: &str) -> bool {
        Category::by_code(code).is_none_or(|c| c.sensitive)
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
        icon: icon!(r#"<path d="M5 10h10l1 10H4z"/>"#, r#"<path d="M7.5 10V8a2.5 2.5 0 0 1 5 0v2"/>"#, r#"<path d="M15 5l5-2M20 3v4"/>"#),
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
        icon: icon!(r#"<path d="M3 11l9-7 9 7"/>"#, r#"<path d="M5 10v10h14V10"/>"#, r#"<path d="M9 13h6v5H9zM9 13l3 2.5-1 2.5"/>"#),
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
        icon: icon!(r#"<path d="M12 2l2 5 5-2-2 5 5 2-5 2 2 5-5-2-2 5-2-5-5 2 2-5-5-2 5-2-2-5 5 2z"/>"#),
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
        icon: icon!(r#"<path d="M6.5 13.5l7-7a3.5 3.5 0 0 1 5 5l-7 7a3.5 3.5 0 0 1-5-5z"/>"#, r#"<path d="M10 10l5 5"/>"#),
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
    // Delitos (SIEDCO names).
    Category {
        code: "hurto_comercio",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Hurto a comercio",
        label_en: "Shop robbery",
        color: "#b71c1c",
        // A shop front with an awning and an open till.
        icon: icon!(r#"<path d="M3 9l2-5h14l2 5z"/>"#, r#"<path d="M4 9v11h16V9"/>"#, r#"<path d="M9 20v-6h6v6M12 14v-2"/>"#),
        sensitive: false,
    },
    Category {
        code: "hurto_vehiculos",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Hurto de motos y vehículos",
        label_en: "Motorbike and vehicle theft",
        color: "#880e4f",
        // A motorbike.
        icon: icon!(
            r#"<circle cx="6" cy="16" r="3"/><circle cx="18" cy="16" r="3"/>"#,
            r#"<path d="M6 16l4-6h5l3 6M10 10l-1-3H6M15 10l1-3h3"/>"#
        ),
        sensitive: false,
    },
    Category {
        code: "lesiones",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Lesiones personales",
        label_en: "Assault",
        color: "#d84315",
        // Two plasters crossed over a wound (unlike the capsule of drug dealing).
        icon: icon!(
            r#"<rect x="2.5" y="9.5" width="19" height="5" rx="2.5" transform="rotate(45 12 12)"/>"#,
            r#"<rect x="2.5" y="9.5" width="19" height="5" rx="2.5" transform="rotate(-45 12 12)"/>"#
        ),
        sensitive: false,
    },
    Category {
        code: "homicidio",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Homicidio",
        label_en: "Homicide",
        color: "#212121",
        // A cross on a mound: a death.
        icon: icon!(r#"<path d="M12 3v12M8 7h8"/>"#, r#"<path d="M4 21c1-4 4-6 8-6s7 2 8 6z"/>"#),
        sensitive: false,
    },
    Category {
        code: "violencia_intrafamiliar",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Violencia intrafamiliar",
        label_en: "Domestic violence",
        color: "#8e24aa",
        // A house with a broken heart inside.
        icon: icon!(
            r#"<path d="M3 11l9-7 9 7M5 10v10h14V10"/>"#,
            r#"<path d="M12 18l-3-3a1.8 1.8 0 0 1 3-2 1.8 1.8 0 0 1 3 2z"/>"#,
            r#"<path d="M12 13l-1 2 2 1-1 2"/>"#
        ),
        sensitive: true,
    },
    Category {
        code: "delitos_sexuales",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Delitos sexuales",
        label_en: "Sexual offences",
        color: "#c2185b",
        // A raised hand: stop.
        icon: icon!(
            r#"<path d="M8 12V5.5a1.5 1.5 0 0 1 3 0V11M11 10V4a1.5 1.5 0 0 1 3 0v7M14 10V5.5a1.5 1.5 0 0 1 3 0V14"/>"#,
            r#"<path d="M8 11a1.5 1.5 0 0 0-3 0v3a7 7 0 0 0 7 7h1a4 4 0 0 0 4-4v-3"/>"#
        ),
        sensitive: true,
    },
    Category {
        code: "amenazas",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Amenazas",
        label_en: "Threats",
        color: "#4a148c",
        // A speech bubble with an exclamation mark.
        icon: icon!(r#"<path d="M4 5h16v11H10l-5 4v-4H4z"/>"#, r#"<path d="M12 8v4M12 14.5h.01"/>"#),
        sensitive: true,
    },
    Category {
        code: "presencia_grupos",
        kind: MarkKind::Problem,
        group: CategoryGroup::Crime,
        label_es: "Presencia de grupos delictivos",
        label_en: "Criminal groups present",
        color: "#311b92",
        // Three hooded figures.
        icon: icon!(
            r#"<circle cx="12" cy="7" r="2.5"/><circle cx="5.5" cy="9" r="2"/><circle cx="18.5" cy="9" r="2"/>"#,
            r#"<path d="M7.5 20v-3a4.5 4.5 0 0 1 9 0v3M2 20v-2a3.5 3.5 0 0 1 5-3.2M22 20v-2a3.5 3.5 0 0 0-5-3.2"/>"#
        ),
        sensitive: true,
    },
    // Comportamientos contrarios a la convivencia (Ley 1801 de 2016, article in the comment).
    Category {
        code: "porte_armas",
        kind: MarkKind::Problem,
        group: CategoryGroup::Coexistence,
        label_es: "Porte de armas blancas",
        label_en: "Carrying knives",
        color: "#bf360c",
        // A knife (art. 27).
        icon: icon!(r#"<path d="M4 20l3-3M6 15l3 3"/>"#, r#"<path d="M8 16L20 4c1 4-2 8-8 14"/>"#),
        sensitive: false,
    },
    Category {
        code: "ruido",
        kind: MarkKind::Problem,
        group: CategoryGroup::Coexistence,
        label_es: "Ruido y escándalo",
        label_en: "Noise",
        color: "#ef6c00",
        // A loudspeaker with sound waves (art. 33).
        icon: icon!(r#"<path d="M3 10v4h4l5 4V6L7 10z"/>"#, r#"<path d="M16 9a4 4 0 0 1 0 6M18.5 6.5a7.5 7.5 0 0 1 0 11"/>"#),
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
        icon: icon!(r#"<path d="M4 6h16M9 6V4h6v2"/>"#, r#"<path d="M6 6l1 15h10l1-15"/>"#, r#"<path d="M10 10v7M14 10v7"/>"#),
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
        icon: icon!(r#"<path d="M3 11l9-7 9 7"/>"#, r#"<path d="M5 10v10h14V10"/>"#, r#"<path d="M9 12l6 6M15 12l-6 6"/>"#),
        sensitive: false,
    },
    Category {
        code: "zona_sin_vigilancia",
        kind: MarkKind::Problem,
        group: CategoryGroup::RiskFactor,
        label_es: "Zona sin vigilancia",
        label_en: "Unpatrolled area",
        color: "#455a64",
        // An eye, struck through.
        icon: icon!(
            r#"<path d="M2 12s3.5-6 10-6 10 6 10 6-3.5 6-10 6S2 12 2 12z"/>"#,
            r#"<circle cx="12" cy="12" r="2.5"/><path d="M4 4l16 16"/>"#
        ),
        sensitive: false,
    },
    Category {
        code: "callejon_oscuro",
        kind: MarkKind::Problem,
        group: CategoryGroup::RiskFactor,
        label_es: "Callejón sin visibilidad",
        label_en: "Blind alley",
        color: "#263238",
        // A narrow passage between two walls.
        icon: icon!(r#"<path d="M4 21V3M20 21V3"/>"#, r#"<path d="M9 21l1.5-12h3L15 21M10.5 9V6h3v3"/>"#),
        sensitive: false,
    },
    Category {
        code: "paradero_inseguro",
        kind: MarkKind::Problem,
        group: CategoryGroup::RiskFactor,
        label_es: "Paradero inseguro",
        label_en: "Unsafe bus stop",
        color: "#4e342e",
        // A bus stop sign.
        icon: icon!(r#"<path d="M12 22V11"/>"#, r#"<rect x="6" y="2" width="12" height="9" rx="2"/>"#, r#"<path d="M9 6h6M9 8.5h3"/>"#),
        sensitive: false,
    },
    Category {
        code: "expendio_licor",
        kind: MarkKind::Problem,
        group: CategoryGroup::RiskFactor,
        label_es: "Establecimiento de licor conflictivo",
        label_en: "Troublesome bar",
        color: "#6d4c41",
        // A bottle and a glass.
        icon: icon!(r#"<path d="M7 2h3v4l2 3v12H5V9l2-3z"/>"#, r#"<path d="M15 10h5l-1 6h-3zM17.5 16v5M15.5 21h4"/>"#),
        sensitive: false,
    },
    // Factores protectores.
    Category {
        code: "parque",
        kind: MarkKind::Protective,
        group: CategoryGroup::Protective,
        label_es: "Parque o cancha en buen estado",
        label_en: "Park or sports field",
        color: "#2e7d32",
        // A tree.
        icon: icon!(r#"<circle cx="12" cy="9" r="6"/><path d="M12 15v6M8 21h8"/>"#),
        sensitive: false,
    },
    Category {
        code: "cai",
        kind: MarkKind::Protective,
        group: CategoryGroup::Protective,
        label_es: "CAI o cuadrante de Policía",
        label_en: "Police post (CAI)",
        color: "#1a237e",
        // A police shield with a check.
        icon: icon!(r#"<path d="M12 3L5 6v5c0 4.5 3 8 7 10 4-2 7-5.5 7-10V6z"/><path d="M9 12l2 2 4-4"/>"#),
        sensitive: false,
    },
    Category {
        code: "colegio",
        kind: MarkKind::Protective,
        group: CategoryGroup::Protective,
        label_es: "Colegio",
        label_en: "School",
        color: "#1565c0",
        // An open book.
        icon: icon!(r#"<path d="M3 6.5c3-1.5 6-1.5 9 .5 3-2 6-2 9-.5V18c-3-1.5-6-1.5-9 .5-3-2-6-2-9-.5z"/><path d="M12 7v11.5"/>"#),
        sensitive: false,
    },
    Category {
        code: "iglesia",
        kind: MarkKind::Protective,
        group: CategoryGroup::Protective,
        label_es: "Iglesia",
        label_en: "Church",
        color: "#5e35b1",
        // A cross on a roof.
        icon: icon!(r#"<path d="M12 2.5v6M9.5 5h5"/><path d="M5 21v-8l7-4.5 7 4.5v8z"/>"#),
        sensitive: false,
    },
    Category {
        code: "salon_comunal",
        kind: MarkKind::Protective,
        group: CategoryGroup::Protective,
        label_es: "Salón comunal / JAC",
        label_en: "Community hall",
        color: "#a0522d",
        // A house with a wide door.
        icon: icon!(r#"<path d="M3.5 11L12 4l8.5 7"/><path d="M6 10v10h12V10"/><path d="M9.5 20v-5h5v5"/>"#),
        sensitive: false,
    },
    Category {
        code: "centro_salud",
        kind: MarkKind::Protective,
        group: CategoryGroup::Protective,
        label_es: "Centro de salud",
        label_en: "Health centre",
        color: "#c62848",
        // A cross in a square.
        icon: icon!(r#"<rect x="3" y="3" width="18" height="18" rx="3"/><path d="M12 7v10M7 12h10"/>"#),
        sensitive: false,
    },
    Category {
        code: "camaras_alarma",
        kind: MarkKind::Protective,
        group: CategoryGroup::Protective,
        label_es: "Cámaras o alarma comunitaria",
        label_en: "Cameras or community alarm",
        color: "#00838f",
        // A camera on a pole.
        icon: icon!(r#"<path d="M3 7l12-3 2 6-12 3z"/><path d="M17 8l4-1v5l-4-1M9 12l1 4H5v5"/>"#),
        sensitive: false,
    },
    Category {
        code: "comercio_activo",
        kind: MarkKind::Protective,
        group: CategoryGroup::Protective,
        label_es: "Comercio activo",
        label_en: "Busy shops",
        color: "#2e7d5b",
        // A shop with its lights on.
        icon: icon!(r#"<path d="M3 9l2-5h14l2 5z"/><path d="M4 9v11h16V9"/><path d="M8 13h8v4H8z"/>"#),
        sensitive: false,
    },
    // Actores.
    Category {
        code: "actor_comunitario",
        kind: MarkKind::Actor,
        group: CategoryGroup::Actor,
        label_es: "Actor comunitario (JAC, CBSC, líderes)",
        label_en: "Community actor",
        color: "#00695c",
        // People holding hands.
        icon: icon!(
            r#"<circle cx="7" cy="6" r="2.5"/><circle cx="17" cy="6" r="2.5"/><path d="M3 20v-6a4 4 0 0 1 8 0M13 14a4 4 0 0 1 8 0v6M11 14h2"/>"#
        ),
        sensitive: false,
    },
    Category {
        code: "actor_institucional",
        kind: MarkKind::Actor,
        group: CategoryGroup::Actor,
        label_es: "Actor institucional (Policía, Alcaldía, ICBF…)",
        label_en: "Institution",
        color: "#283593",
        // A building with columns.
        icon: icon!(r#"<path d="M3 9l9-5 9 5zM4 20h16M6 10v8M10 10v8M14 10v8M18 10v8"/>"#),
        sensitive: false,
    },
    Category {
        code: "actor_riesgo",
        kind: MarkKind::Actor,
        group: CategoryGroup::Actor,
        label_es: "Actor de riesgo (sin nombres)",
        label_en: "Risk actor (no names)",
        color: "#3e2723",
        // A warning triangle.
        icon: icon!(r#"<path d="M12 3L2 20h20z"/><path d="M12 9v5M12 17h.01"/>"#),
        sensitive: true,
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
    fn every_group_has_categories_and_its_own_kind() {
        for group in CategoryGroup::ALL {
            let members: Vec<_> = CATEGORIES.iter().filter(|c| c.group == group).collect();
            assert!(members.len() >= 3, "{group:?}");
            let expected = match group {
                CategoryGroup::Protective => MarkKind::Protective,
                CategoryGroup::Actor => MarkKind::Actor,
                _ => MarkKind::Problem,
            };
            assert!(members.iter().all(|c| c.kind == expected), "{group:?}");
        }
        for code in [
            "lesiones",
            "violencia_intrafamiliar",
            "presencia_grupos",
            "zona_sin_vigilancia",
            "parque",
            "cai",
            "colegio",
            "iglesia",
            "salon_comunal",
        ] {
            assert!(Category::by_code(code).is_some(), "{code}");
        }
    }

    #[test]
    fn reports_that_could_endanger_the_reporter_are_sensitive() {
        for code in ["violencia_intrafamiliar", "delitos_sexuales", "amenazas", "presencia_grupos", "actor_riesgo"] {
            assert!(Category::by_code(code).unwrap().sensitive, "{code}");
        }
        assert!(!Category::by_code("parque").unwrap().sensitive);
    }

    #[test]
    fn colours_within_a_group_differ() {
        for group in CategoryGroup::ALL {
            let colours: Vec<_> = CATEGORIES.iter().filter(|c| c.group == group).map(|c| c.color).collect();
            let unique: HashSet<_> = colours.iter().collect();
            assert_eq!(unique.len(), colours.len(), "{group:?}");
        }
    }

    #[test]
    fn unknown_codes_are_not_found() {
        assert!(Category::by_code("homicidio_inventado").is_none());
        assert!(Category::by_code("").is_none());
    }
}
