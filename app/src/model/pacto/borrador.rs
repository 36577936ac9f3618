//! The first draft of a pacto, from a diagnóstico version: its problems grouped by category
//! with the causes the group tied to them, the community's solutions with the institution each
//! names, and a context summary. Staff then turn solutions into compromisos.

use std::collections::HashSet;

use uuid::Uuid;

use super::compromiso::Compromiso;
use super::pacto::{LugarOpcion, PactoContenido, ProblemaPriorizado, SolucionPropuesta, MAX_PROBLEMAS, MAX_SHORT_CHARS, MAX_SOLUCIONES};
use crate::model::words::count_es;
use crate::model::{Category, CauseCategory, Diagnostico};

pub fn category_name(code: &str) -> String {
    Category::by_code(code).map(|c| c.label_es.to_string()).unwrap_or_else(|| code.to_string())
}

/// The draft's content built from diagnóstico `numero` of barrio `barrio`.
pub fn borrador(diag: &Diagnostico, numero: u32, barrio: &str) -> PactoContenido {
    let mut problemas: Vec<ProblemaPriorizado> = Vec::new();
    for h in &diag.hotspots {
        match problemas.iter_mut().find(|p| p.categoria == h.category) {
            Some(p) => {
                p.marcas += h.count;
                p.lugares += 1;
                p.hotspot_ids.push(h.id);
            }
            None => problemas.push(ProblemaPriorizado {
                categoria: h.category.clone(),
                nombre: category_name(&h.category),
                marcas: h.count,
                lugares: 1,
                hotspot_ids: vec![h.id],
                causas: Vec::new(),
            }),
        }
    }
    for p in &mut problemas {
        let marks: HashSet<Uuid> =
            diag.hotspots.iter().filter(|h| h.category == p.categoria).flat_map(|h| h.source_ids.iter().copied()).collect();
        // `diag.causes` is already ranked, so the causes come most weighty first.
        p.causas = diag
            .causes
            .iter()
            .filter(|c| c.problem_ids.iter().any(|id| marks.contains(id)))
            .map(|c| CauseCategory::by_code(&c.category).map(|k| k.label_es.to_string()).unwrap_or_else(|| c.category.clone()))
            .collect();
    }
    problemas.sort_by(|a, b| b.marcas.cmp(&a.marcas).then(b.lugares.cmp(&a.lugares)).then_with(|| a.categoria.cmp(&b.categoria)));
    // The draft must save as it is: within what `PactoContenido::checked` takes, the weightiest
    // first (a diagnóstico has no such limits).
    problemas.truncate(MAX_PROBLEMAS);
    for p in &mut problemas {
        p.causas.truncate(MAX_PROBLEMAS);
        p.causas.iter_mut().for_each(|c| *c = cut(c, MAX_SHORT_CHARS));
    }

    let mut soluciones: Vec<SolucionPropuesta> = diag
        .solutions_by_institution
        .iter()
        .flat_map(|g| {
            g.solutions.iter().map(|s| SolucionPropuesta {
                id: s.id,
                texto: s.text.clone(),
                institucion: g.institution.clone(),
                problemas: s.problems,
                participantes: s.participants,
            })
        })
        .collect();
    soluciones.sort_by(|a, b| b.problemas.cmp(&a.problemas).then(b.participantes.cmp(&a.participantes)).then(a.id.cmp(&b.id)));
    soluciones.truncate(MAX_SOLUCIONES);
    soluciones.iter_mut().for_each(|s| s.texto = cut(&s.texto, MAX_SHORT_CHARS * 2));

    PactoContenido {
        fecha: String::new(),
        lugar: String::new(),
        contexto: contexto(diag, numero, barrio, &problemas),
        problemas,
        soluciones,
        compromisos: Vec::new(),
        acta_id: None,
    }
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

fn contexto(diag: &Diagnostico, numero: u32, barrio: &str, problemas: &[ProblemaPriorizado]) -> String {
    let t = &diag.totals;
    let mut s = format!(
        "El diagnóstico temprano n.º {numero} del barrio {barrio}, hecho por su comunidad con la cartografía social, \
         reúne {} de {} en {}, en {}.",
        count_es(t.marks, "marca", "marcas"),
        count_es(t.participants, "participante", "participantes"),
        count_es(t.workshops, "taller", "talleres"),
        count_es(t.hotspots, "lugar", "lugares"),
    );
    let top: Vec<String> =
        problemas.iter().take(5).map(|p| format!("{} ({})", p.nombre.to_lowercase(), count_es(p.marcas, "marca", "marcas"))).collect();
    if !top.is_empty() {
        s.push_str(&format!(" Los problemas más señalados son: {}.", top.join(", ")));
    }
    if t.causes > 0 || t.solutions > 0 {
        s.push_str(&format!(
            " La comunidad señaló {} y propuso {}.",
            count_es(t.causes, "causa", "causas"),
            count_es(t.solutions, "solución", "soluciones")
        ));
    }
    s
}

/// The places of the diagnóstico a compromiso may be tied to, most marked first.
pub fn lugares(diag: &Diagnostico) -> Vec<LugarOpcion> {
    let mut out: Vec<LugarOpcion> = diag
        .hotspots
        .iter()
        .map(|h| LugarOpcion {
            hotspot_id: h.id,
            categoria: h.category.clone(),
            nombre: category_name(&h.category),
            marcas: h.count,
            sensible: h.sensitive,
        })
        .collect();
    out.sort_by(|a, b| b.marcas.cmp(&a.marcas).then_with(|| a.categoria.cmp(&b.categoria)).then(a.hotspot_id.cmp(&b.hotspot_id)));
    out
}

/// A compromiso started from a solution: the institution it names (if the catalogue has it,
/// otherwise `otra_institucion`) and its words; date and indicator are staff's to set.
pub fn compromiso_de(solucion: &SolucionPropuesta, id: Uuid, en_catalogo: impl Fn(&str) -> bool) -> Compromiso {
    Compromiso {
        id,
        responsable: if en_catalogo(&solucion.institucion) { solucion.institucion.clone() } else { "otra_institucion".into() },
        que: solucion.texto.clone(),
        hotspot_id: None,
        lugar: String::new(),
        fecha_limite: String::new(),
        indicador: String::new(),
        solucion_id: Some(solucion.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostico::fixtures::{diagnostico, hotspot};
    use crate::model::{InstitutionGroup, RankedCause, RankedSolution};

    fn diag() -> Diagnostico {
        let mut d =
            diagnostico(vec![hotspot("hurto_personas", &[1, 2]), hotspot("alumbrado_deficiente", &[3]), hotspot("hurto_personas", &[4])]);
        d.causes = vec![
            RankedCause {
                category: "falta_iluminacion".into(),
                cause_ids: vec![Uuid::from_u128(50)],
                problem_ids: vec![Uuid::from_u128(3), Uuid::from_u128(4)],
                problems: 2,
                participants: 2,
            },
            RankedCause {
                category: "consumo_spa".into(),
                cause_ids: vec![Uuid::from_u128(51)],
                problem_ids: vec![Uuid::from_u128(1)],
                problems: 1,
                participants: 1,
            },
        ];
        d.solutions_by_institution = vec![InstitutionGroup {
            institution: "essmar".into(),
            problems: 2,
            participants: 2,
            solutions: vec![RankedSolution {
                id: Uuid::from_u128(60),
                text: "Poner luminarias".into(),
                cause_ids: vec![Uuid::from_u128(50)],
                problems: 2,
                participants: 2,
            }],
        }];
        d
    }

    #[test]
    fn problems_are_grouped_by_category_with_their_causes() {
        let c = borrador(&diag(), 2, "Pescaíto");
        let names: Vec<(&str, u32, u32)> = c.problemas.iter().map(|p| (p.categoria.as_str(), p.marcas, p.lugares)).collect();
        assert_eq!(names[0], ("hurto_personas", 3, 2));
        assert_eq!(c.problemas[0].causas, vec!["Falta de iluminación".to_string(), "Consumo de sustancias".to_string()]);
        let alumbrado = c.problemas.iter().find(|p| p.categoria == "alumbrado_deficiente").unwrap();
        assert_eq!(alumbrado.causas, vec!["Falta de iluminación".to_string()]);
        assert_eq!(c.soluciones.len(), 1);
        assert_eq!(c.soluciones[0].institucion, "essmar");
        assert!(c.compromisos.is_empty());
        assert!(c.contexto.contains("n.º 2 del barrio Pescaíto"), "{}", c.contexto);
    }

    #[test]
    fn a_large_diagnosticos_draft_saves_as_it_is() {
        let mut d = diag();
        let long = "x".repeat(2 * MAX_SHORT_CHARS + 50);
        d.solutions_by_institution[0].solutions = (0..MAX_SOLUCIONES as u128 + 20)
            .map(|n| RankedSolution { id: Uuid::from_u128(1000 + n), text: long.clone(), cause_ids: vec![], problems: 1, participants: 1 })
            .collect();
        d.hotspots = (0..MAX_PROBLEMAS + 5).map(|n| hotspot(&format!("otra_{n}"), &[n as u128])).collect();
        let c = borrador(&d, 1, "Pescaíto");
        assert_eq!((c.problemas.len(), c.soluciones.len()), (MAX_PROBLEMAS, MAX_SOLUCIONES));
        assert!(c.checked(|_| true, |_| true).is_ok());
    }

    #[test]
    fn a_solution_becomes_a_compromiso_of_its_institution() {
        let c = borrador(&diag(), 1, "Pescaíto");
        let k = compromiso_de(&c.soluciones[0], Uuid::from_u128(9), |code| code == "essmar");
        assert_eq!((k.responsable.as_str(), k.que.as_str(), k.solucion_id), ("essmar", "Poner luminarias", Some(Uuid::from_u128(60))));
        let k = compromiso_de(&c.soluciones[0], Uuid::from_u128(9), |_| false);
        assert_eq!(k.responsable, "otra_institucion");
        assert_eq!(lugares(&diag()).len(), 3);
    }
}
