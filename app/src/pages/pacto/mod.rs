//! Pasos 4 and 7 for the staff: a barrio's pactos, the pacto being drafted, signed and followed
//! up, its printable copy, the institutions' catalogue and each institution's compromisos, the
//! follow-up board of every compromiso with the interinstitutional committee's actas, and the
//! public section of published compromisos. Here: what those pages share.

pub(super) mod api;
mod comite;
mod detalle;
mod editor;
mod firma;
mod imprimir;
mod institucion;
mod instituciones;
mod lectura;
mod lista;
mod publicar;
mod publico;
mod seguimiento;
mod tablero;

pub use comite::ComitePage;
pub use detalle::PactoPage;
pub use imprimir::PactoPrintPage;
pub use institucion::InstitucionPage;
pub use instituciones::InstitucionesPage;
pub use lista::PactosPage;
pub use publico::CompromisosPublicos;
pub use tablero::TableroPage;

use std::collections::HashSet;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::model::pacto::compromiso::{estado_actual, CambioEstado, Compromiso, EstadoCompromiso};
use crate::model::pacto::institucion::{is_code, Institucion, TipoInstitucion, MAX_CODE_CHARS};
use crate::model::pacto::pacto::LugarOpcion;

/// The barrio (`:id`) and the pacto (`:pacto`) of the address.
fn params() -> (Memo<Option<i64>>, Memo<Option<Uuid>>) {
    let params = use_params_map();
    let barrio = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let pacto = Memo::new(move |_| params.with(|p| p.get("pacto").and_then(|s| s.parse::<Uuid>().ok())));
    (barrio, pacto)
}

/// Today in Santa Marta, `YYYY-MM-DD`: what "overdue" is measured against. Only the browser
/// asks (the pages draw their data after hydration); the server has no use for it.
fn hoy() -> String {
    #[cfg(feature = "hydrate")]
    {
        crate::model::workshop::colombia_date_time(crate::client::device::now_ms()).0
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// A fresh compromiso id. The app's uuid has no `v4` feature in the browser bundle; the
/// device's own ids (v7 from `crypto.getRandomValues`) are as unique and already there.
fn nuevo_id() -> Uuid {
    #[cfg(feature = "hydrate")]
    {
        crate::client::device::new_id()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Uuid::nil()
    }
}

/// Brings the element with `id` into view (a compromiso just added, or one a refusal points
/// at) once the page has drawn the change: a card just added is not in it yet.
fn ir_a(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        let id = id.to_string();
        request_animation_frame(move || crate::client::dom::scroll_into_view(&id));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Whether the signed-in account is staff (or admin); the server decides for real.
fn es_staff() -> Signal<bool> {
    let session = crate::components::account::use_session();
    Signal::derive(move || session.user().is_some_and(|u| u.role.is_staff()))
}

/// An institution's name from the catalogue, else the problem tree's, else its code.
pub fn nombre_de(instituciones: &[Institucion], codigo: &str) -> String {
    instituciones
        .iter()
        .find(|i| i.codigo == codigo)
        .map(|i| i.nombre.clone())
        .or_else(|| crate::model::Institution::by_code(codigo).map(|i| i.label_es.to_string()))
        .unwrap_or_else(|| codigo.to_string())
}

/// Whether an institution's compromisos are the community's own (JAC, CBSC).
pub fn de_la_comunidad(instituciones: &[Institucion], codigo: &str) -> bool {
    instituciones
        .iter()
        .find(|i| i.codigo == codigo)
        .map_or(matches!(codigo, "comunidad_jac" | "cbsc"), |i| i.tipo == TipoInstitucion::Comunidad)
}

/// The community solutions some compromiso already came from.
pub fn soluciones_convertidas(compromisos: &[Compromiso]) -> HashSet<Uuid> {
    compromisos.iter().filter_map(|c| c.solucion_id).collect()
}

/// One institution's compromisos, as the printed pacto lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct Grupo<'a> {
    pub codigo: String,
    pub nombre: String,
    pub comunidad: bool,
    /// Each with its number in the pacto (1-based), so the print and the page agree.
    pub compromisos: Vec<(usize, &'a Compromiso)>,
}

/// The compromisos by institution: the institutions in the order the pacto first names them,
/// the community's own after them (what the institutions owe reads first).
pub fn por_institucion<'a>(compromisos: &'a [Compromiso], instituciones: &[Institucion]) -> Vec<Grupo<'a>> {
    let mut grupos: Vec<Grupo<'a>> = Vec::new();
    for (i, c) in compromisos.iter().enumerate() {
        match grupos.iter_mut().find(|g| g.codigo == c.responsable) {
            Some(g) => g.compromisos.push((i + 1, c)),
            None => grupos.push(Grupo {
                codigo: c.responsable.clone(),
                nombre: nombre_de(instituciones, &c.responsable),
                comunidad: de_la_comunidad(instituciones, &c.responsable),
                compromisos: vec![(i + 1, c)],
            }),
        }
    }
    // A stable sort keeps the first-named order within each side.
    grupos.sort_by_key(|g| g.comunidad);
    grupos
}

/// The CBSC's name when the catalogue does not have it.
const CBSC: &str = "Comité Barrial de Seguridad y Convivencia (CBSC)";

/// Who signs the printed pacto: each institution it names, and the CBSC always.
pub fn firmantes(grupos: &[Grupo], instituciones: &[Institucion]) -> Vec<String> {
    let mut out: Vec<String> = grupos.iter().filter(|g| g.codigo != "cbsc").map(|g| g.nombre.clone()).collect();
    let cbsc = instituciones.iter().find(|i| i.codigo == "cbsc").map_or_else(|| CBSC.to_string(), |i| i.nombre.clone());
    out.push(cbsc);
    out
}

/// A compromiso's status history (oldest first), across the pacto's versions.
pub fn historia(estados: &[CambioEstado], compromiso: Uuid) -> Vec<CambioEstado> {
    estados.iter().filter(|e| e.compromiso_id == compromiso).cloned().collect()
}

/// A compromiso's status now.
pub fn estado_de(estados: &[CambioEstado], compromiso: Uuid) -> EstadoCompromiso {
    estado_actual(&historia(estados, compromiso))
}

/// Whether a publication may not show where a compromiso is: its hotspot is sensitive, or
/// unknown to the diagnóstico's list (the rule `publicacion::publicar` applies).
pub fn lugar_sensible(c: &Compromiso, lugares: &[LugarOpcion]) -> bool {
    c.hotspot_id.is_some_and(|h| lugares.iter().find(|l| l.hotspot_id == h).is_none_or(|l| l.sensible))
}

/// The hotspots as a select offers them: places of one problem are numbered apart, and a
/// sensitive one says so.
pub fn etiquetas_lugares(lugares: &[LugarOpcion]) -> Vec<(Uuid, String)> {
    let mut seen: Vec<(&str, u32)> = Vec::new();
    lugares
        .iter()
        .map(|l| {
            let total = lugares.iter().filter(|o| o.categoria == l.categoria).count();
            let n = match seen.iter_mut().find(|(c, _)| *c == l.categoria) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((&l.categoria, 1));
                    1
                }
            };
            let mut label = if total > 1 { format!("{} — lugar {n}", l.nombre) } else { l.nombre.clone() };
            label.push_str(&format!(" ({})", crate::model::words::count_es(l.marcas, "marca", "marcas")));
            if l.sensible {
                label.push_str(" · sensible: no se publica dónde");
            }
            (l.hotspot_id, label)
        })
        .collect()
}

/// A catalogue code made from an institution's name ("Cruz Roja Colombiana" →
/// `cruz_roja_colombiana`), numbered when already `taken`.
pub fn codigo_de(nombre: &str, taken: &[&str]) -> String {
    let mut base = String::new();
    for ch in nombre.trim().to_lowercase().chars() {
        let ch = match ch {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => c,
            _ => '_',
        };
        if ch != '_' || (!base.is_empty() && !base.ends_with('_')) {
            base.push(ch);
        }
    }
    // Room for a "_NN" when the code is taken.
    base.truncate(MAX_CODE_CHARS - 4);
    let base = base.trim_end_matches('_');
    let base = if base.is_empty() { "institucion" } else { base };
    let mut code = base.to_string();
    let mut n = 2;
    while taken.contains(&code.as_str()) {
        code = format!("{base}_{n}");
        n += 1;
    }
    debug_assert!(is_code(&code));
    code
}

/// The compromiso (0-based) a refusal's Spanish message names: `PactoError::es` says "El
/// compromiso 3…" or "Al compromiso 3…".
pub fn compromiso_del_mensaje(mensaje: &str) -> Option<usize> {
    let lower = mensaje.to_lowercase();
    let at = lower.find("compromiso ")? + "compromiso ".len();
    let digits: String = lower[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<usize>().ok()?.checked_sub(1)
}

/// A compromiso's status as a badge: its label, and "Vencido" beside it when overdue.
#[component]
fn EstadoBadge(estado: EstadoCompromiso, #[prop(optional)] vencido: bool) -> impl IntoView {
    view! {
        <span class="estado-badges">
            <span class=format!("estado-badge estado-{}", estado.code()) data-estado=estado.code()>{estado.label_es()}</span>
            {vencido.then(|| view! { <span class="estado-badge vencido" data-testid="vencido">"Vencido"</span> })}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compromiso(n: u128, responsable: &str) -> Compromiso {
        Compromiso {
            id: Uuid::from_u128(n),
            responsable: responsable.into(),
            que: format!("Compromiso {n}"),
            hotspot_id: None,
            lugar: String::new(),
            fecha_limite: "2027-03-31".into(),
            indicador: "Se verá".into(),
            solucion_id: None,
        }
    }

    fn institucion(codigo: &str, nombre: &str, tipo: TipoInstitucion) -> Institucion {
        Institucion {
            codigo: codigo.into(),
            version: 1,
            nombre: nombre.into(),
            tipo,
            contactos: vec![],
            activa: true,
            at_ms: 0,
            por: "admin".into(),
        }
    }

    fn catalogo() -> Vec<Institucion> {
        vec![
            institucion("essmar", "ESSMAR", TipoInstitucion::Publica),
            institucion("policia", "Policía", TipoInstitucion::Publica),
            institucion("cbsc", "CBSC del barrio", TipoInstitucion::Comunidad),
            institucion("comunidad_jac", "JAC", TipoInstitucion::Comunidad),
        ]
    }

    #[test]
    fn compromisos_are_grouped_by_institution_with_the_communitys_last() {
        let list = vec![
            compromiso(1, "comunidad_jac"),
            compromiso(2, "essmar"),
            compromiso(3, "policia"),
            compromiso(4, "essmar"),
            compromiso(5, "nueva"),
        ];
        let grupos = por_institucion(&list, &catalogo());
        let seen: Vec<(&str, Vec<usize>)> =
            grupos.iter().map(|g| (g.nombre.as_str(), g.compromisos.iter().map(|(n, _)| *n).collect())).collect();
        assert_eq!(seen, vec![("ESSMAR", vec![2, 4]), ("Policía", vec![3]), ("nueva", vec![5]), ("JAC", vec![1])]);
        assert!(grupos[3].comunidad && !grupos[0].comunidad);
        // Each institution named signs, and the CBSC always, once.
        assert_eq!(firmantes(&grupos, &catalogo()), vec!["ESSMAR", "Policía", "nueva", "JAC", "CBSC del barrio"]);
        let with_cbsc = vec![compromiso(1, "cbsc")];
        assert_eq!(firmantes(&por_institucion(&with_cbsc, &catalogo()), &catalogo()), vec!["CBSC del barrio"]);
        assert_eq!(firmantes(&[], &[]), vec![CBSC]);
    }

    #[test]
    fn a_solution_is_converted_once_some_compromiso_names_it() {
        let mut a = compromiso(1, "essmar");
        a.solucion_id = Some(Uuid::from_u128(60));
        let done = soluciones_convertidas(&[a, compromiso(2, "essmar")]);
        assert!(done.contains(&Uuid::from_u128(60)));
        assert_eq!(done.len(), 1);
    }

    #[test]
    fn the_status_is_the_last_change_of_that_compromiso() {
        let cambio = |seq: i64, c: u128, estado| CambioEstado {
            seq,
            compromiso_id: Uuid::from_u128(c),
            pacto_id: Uuid::from_u128(100),
            estado,
            motivo: String::new(),
            evidencia: "Visita".into(),
            registro_id: None,
            por: "ana".into(),
            at_ms: seq,
        };
        let estados = vec![
            cambio(1, 1, EstadoCompromiso::EnCurso),
            cambio(2, 2, EstadoCompromiso::Cumplido),
            cambio(3, 1, EstadoCompromiso::Incumplido),
        ];
        assert_eq!(historia(&estados, Uuid::from_u128(1)).len(), 2);
        assert_eq!(estado_de(&estados, Uuid::from_u128(1)), EstadoCompromiso::Incumplido);
        assert_eq!(estado_de(&estados, Uuid::from_u128(9)), EstadoCompromiso::Pendiente);
    }

    fn lugar(n: u128, categoria: &str, sensible: bool) -> LugarOpcion {
        LugarOpcion {
            hotspot_id: Uuid::from_u128(n),
            categoria: categoria.into(),
            nombre: categoria.to_uppercase(),
            marcas: n as u32,
            sensible,
        }
    }

    #[test]
    fn a_sensitive_or_unknown_hotspot_hides_the_place() {
        let lugares = vec![lugar(1, "hurto", false), lugar(2, "vbg", true)];
        let mut c = compromiso(1, "essmar");
        assert!(!lugar_sensible(&c, &lugares));
        c.hotspot_id = Some(Uuid::from_u128(1));
        assert!(!lugar_sensible(&c, &lugares));
        c.hotspot_id = Some(Uuid::from_u128(2));
        assert!(lugar_sensible(&c, &lugares));
        c.hotspot_id = Some(Uuid::from_u128(3));
        assert!(lugar_sensible(&c, &lugares));
    }

    #[test]
    fn places_of_one_problem_are_numbered_and_sensitive_ones_say_so() {
        let labels: Vec<String> = etiquetas_lugares(&[lugar(5, "hurto", false), lugar(1, "vbg", true), lugar(3, "hurto", false)])
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(
            labels,
            vec!["HURTO — lugar 1 (5 marcas)", "VBG (1 marca) · sensible: no se publica dónde", "HURTO — lugar 2 (3 marcas)"]
        );
    }

    #[test]
    fn a_code_is_made_from_the_name() {
        assert_eq!(codigo_de("  Cruz Roja Colombiana ", &[]), "cruz_roja_colombiana");
        assert_eq!(codigo_de("Secretaría de Educación / Niñez", &[]), "secretaria_de_educacion_ninez");
        assert_eq!(codigo_de("ICBF", &["icbf"]), "icbf_2");
        assert_eq!(codigo_de("ICBF", &["icbf", "icbf_2"]), "icbf_3");
        assert_eq!(codigo_de("¡¡!!", &[]), "institucion");
        let long = codigo_de(&"Asociación ".repeat(10), &[]);
        assert!(is_code(&long) && long.len() <= MAX_CODE_CHARS - 4 && !long.ends_with('_'), "{long}");
        assert!(is_code(&codigo_de(&"a".repeat(60), &[&"a".repeat(36)])));
    }

    #[test]
    fn the_compromiso_a_refusal_names_is_found() {
        assert_eq!(compromiso_del_mensaje("Al compromiso 3 le falta la fecha límite."), Some(2));
        assert_eq!(compromiso_del_mensaje("El compromiso 12 nombra un lugar que no está en el diagnóstico."), Some(11));
        assert_eq!(compromiso_del_mensaje("Una fecha se escribe AAAA-MM-DD."), None);
        assert_eq!(compromiso_del_mensaje("El compromiso 0 está repetido."), None);
    }
}
