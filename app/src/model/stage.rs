//! The stages of a cartografía social session, in order. Each stage offers the categories and
//! tools that fit it; any stage can be revisited.

use super::taxonomy::CategoryGroup;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Mapa del barrio: what is there and what protects.
    Barrio,
    /// Mapa de problemas: crimes, coexistence problems, risk factors.
    Problems,
    /// Árbol de problemas: causes of the problems drawn.
    Tree,
    /// Mapa de actores.
    Actors,
    /// Mapa de soluciones: solutions for the causes, with who is responsible.
    Solutions,
}

impl Stage {
    pub const ALL: [Stage; 5] = [Stage::Barrio, Stage::Problems, Stage::Tree, Stage::Actors, Stage::Solutions];

    /// As it appears in the address (`?etapa=`), so a reload keeps the stage.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Barrio => "barrio",
            Stage::Problems => "problemas",
            Stage::Tree => "arbol",
            Stage::Actors => "actores",
            Stage::Solutions => "soluciones",
        }
    }

    /// Unknown or missing codes open the problems map, where most of a workshop happens.
    pub fn from_code(code: Option<&str>) -> Stage {
        Stage::ALL.into_iter().find(|s| Some(s.code()) == code).unwrap_or(Stage::Problems)
    }

    pub fn number(self) -> usize {
        Stage::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    pub fn label_es(self) -> &'static str {
        match self {
            Stage::Barrio => "Mapa del barrio",
            Stage::Problems => "Mapa de problemas",
            Stage::Tree => "Árbol de problemas",
            Stage::Actors => "Mapa de actores",
            Stage::Solutions => "Mapa de soluciones",
        }
    }

    /// One word for the stepper on a phone.
    pub fn short_es(self) -> &'static str {
        match self {
            Stage::Barrio => "Barrio",
            Stage::Problems => "Problemas",
            Stage::Tree => "Causas",
            Stage::Actors => "Actores",
            Stage::Solutions => "Soluciones",
        }
    }

    /// What the facilitator says to the group at this stage.
    pub fn hint_es(self) -> &'static str {
        match self {
            Stage::Barrio => "Ubiquen lo que cuida al barrio: parques, CAI, colegios, iglesias, salón comunal.",
            Stage::Problems => "Elijan una categoría y toquen el mapa donde ocurre. Rutas y zonas se dibujan punto por punto.",
            Stage::Tree => "¿Por qué pasa? Escojan un problema del mapa y agreguen sus causas.",
            Stage::Actors => "¿Quién puede ayudar y quién afecta? Ubiquen a los actores del barrio.",
            Stage::Solutions => "Para cada causa, ¿qué se puede hacer y quién debe hacerlo?",
        }
    }

    /// The category groups drawn at this stage, first in the palette; empty where the stage is
    /// about the problem tree rather than the map.
    pub fn groups(self) -> &'static [CategoryGroup] {
        match self {
            Stage::Barrio => &[CategoryGroup::Protective],
            Stage::Problems => &[CategoryGroup::Crime, CategoryGroup::Coexistence, CategoryGroup::RiskFactor],
            Stage::Actors => &[CategoryGroup::Actor],
            Stage::Tree | Stage::Solutions => &[],
        }
    }

    /// Whether the map takes drawing taps at this stage.
    pub fn draws(self) -> bool {
        !self.groups().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_every_group_has_a_stage() {
        for s in Stage::ALL {
            assert_eq!(Stage::from_code(Some(s.code())), s);
        }
        assert_eq!(Stage::from_code(Some("nada")), Stage::Problems);
        for g in CategoryGroup::ALL {
            assert!(Stage::ALL.iter().any(|s| s.groups().contains(&g)), "{g:?} has no stage");
        }
    }
}
