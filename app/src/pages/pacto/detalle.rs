//! `/ruta/:id/pacto/:pacto`: one pacto. A draft is edited by staff (and read by facilitators);
//! a signed one is followed up compromiso by compromiso, amended with an otrosí and published.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api;
use super::editor::Editor;
use super::lectura::{CompromisoHechos, DatosReunion, ProblemasTabla, Soluciones};
use super::publicar::Publicar;
use super::seguimiento::Seguimiento;
use crate::components::account::RequireRole;
use crate::model::pacto::institucion::Institucion;
use crate::model::pacto::pacto::{EstadoPacto, PactoDetalle, PactoResumen};
use crate::model::workshop::{date_es, when_es};

#[component]
pub fn PactoPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|_| true what="Los pactos de un barrio son para el equipo de la Secretaría y quienes facilitan en él.">
            <PactoPanel/>
        </RequireRole>
    }
}

/// What the page shows: the pacto and the catalogue its compromisos name.
#[derive(Debug, Clone, PartialEq)]
struct Cargado {
    detalle: PactoDetalle,
    instituciones: Vec<Institucion>,
    /// The signed version in force: its compromisos' statuses change here. An otrosí still
    /// in draft leaves it in force; a signed one does not.
    vigente: bool,
}

/// Whether pacto `id` is the barrio's signed version in force, from the barrio's list; without
/// the list, a signed pacto with no newer version is.
pub fn en_vigor(id: uuid::Uuid, detalle: &PactoDetalle, lista: Option<&[PactoResumen]>) -> bool {
    match lista {
        Some(l) => l.iter().any(|r| r.id == id && r.vigente),
        None => detalle.pacto.estado == EstadoPacto::Firmado && detalle.otrosi.is_none(),
    }
}

#[component]
fn PactoPanel() -> impl IntoView {
    let (barrio, pacto) = super::params();
    let loaded = RwSignal::new(None::<Result<Cargado, String>>);
    // Bumped to read the pacto again (after signing, a status change, a conflict).
    let recargar = RwSignal::new(0u32);
    Effect::new(move |_| {
        recargar.track();
        let Some(id) = pacto.get() else { return };
        leptos::task::spawn_local(async move {
            let result = async {
                let mut detalle: PactoDetalle = api::get(&format!("/api/v1/pactos/{id}")).await?;
                // Files (the signed scan, evidence) are kept in a ciclo of the ruta: the pacto's,
                // or the barrio's open one when it was drafted before the barrio had one.
                detalle.pacto.ciclo_id = detalle.pacto.ciclo_id.or(detalle.ciclo_abierto);
                let instituciones: Vec<Institucion> = api::get("/api/v1/instituciones").await?;
                let lista: Option<Vec<PactoResumen>> = api::get(&format!("/api/v1/barrios/{}/pactos", detalle.pacto.barrio_id)).await.ok();
                let vigente = en_vigor(id, &detalle, lista.as_deref());
                Ok::<_, api::Refusal>(Cargado { detalle, instituciones, vigente })
            }
            .await;
            // An answer for a pacto the page has left (an otrosí just opened) is dropped.
            if pacto.get_untracked() == Some(id) {
                loaded.set(Some(result.map_err(String::from)));
            }
        });
    });
    let title = move || match loaded.get() {
        Some(Ok(c)) => format!("{} · {}", c.detalle.pacto.titulo(), c.detalle.barrio),
        _ => "Pacto".to_string(),
    };
    let b = move || barrio.get().unwrap_or_default();
    view! {
        <Title text=title/>
        <section class="page staff pacto-page">
            <p class="crumbs">
                <a href=move || format!("/ruta/{}/pacto", b())>"← Los pactos del barrio"</a>
                " · "
                <a href=move || format!("/ruta/{}", b())>"La ruta del barrio"</a>
            </p>
            {move || match loaded.get() {
                None => view! { <p class="loading">"Cargando el pacto…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(c)) => view! { <PactoView cargado=c recargar/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn PactoView(cargado: Cargado, recargar: RwSignal<u32>) -> impl IntoView {
    let Cargado { detalle, instituciones, vigente } = cargado;
    let p = detalle.pacto.clone();
    let barrio = p.barrio_id;
    let (estado_class, estado) = match (p.estado, vigente) {
        (EstadoPacto::Borrador, _) => ("borrador", "Borrador".to_string()),
        (EstadoPacto::Firmado, true) => ("vigente", "Firmado · vigente".to_string()),
        (EstadoPacto::Firmado, false) => ("reemplazado", "Firmado · ya no está vigente".to_string()),
    };
    let firma = p.firma.clone();
    let meta = format!(
        "Barrio {} · diagnóstico versión {} · actualizado por {} el {}",
        detalle.barrio,
        p.diagnostico,
        p.actualizado_por,
        when_es(p.actualizado_ms)
    );
    view! {
        <header class="pacto-head" data-testid="pacto-head" data-estado=estado_class>
            <h1>{p.titulo()}</h1>
            <span class=format!("pacto-estado {estado_class}")>{estado}</span>
            <a class="button small quiet" href=format!("/ruta/{barrio}/pacto/{}/imprimir", p.id)>"Imprimir"</a>
        </header>
        <p class="barrio-meta">{meta}</p>
        {detalle.otrosi.map(|n| if vigente {
            view! {
                <p class="notice pacto-banner" role="note" data-testid="otrosi-banner">
                    "Hay un otrosí en preparación. Mientras no se firme, este pacto sigue vigente y aquí se sigue su cumplimiento. "
                    <a href=format!("/ruta/{barrio}/pacto/{n}")>"Abrir el otrosí"</a>
                </p>
            }.into_any()
        } else {
            view! {
                <p class="notice warn pacto-banner" role="note" data-testid="otrosi-banner">
                    "Este pacto fue modificado por un otrosí: hay una versión más nueva. "
                    <a href=format!("/ruta/{barrio}/pacto/{n}")>"Abrir la versión más nueva"</a>
                </p>
            }.into_any()
        })}
        {p.anterior.map(|a| view! {
            <p class="muted">"Modifica una versión anterior del pacto. "<a href=format!("/ruta/{barrio}/pacto/{a}")>"Ver la versión anterior"</a></p>
        })}
        {firma.map(|f| view! {
            <p class="ok-text" data-testid="firma">
                {format!("✓ Firmado el {} (revisión {}); marcado por {} el {}. ", date_es(&f.fecha), f.revision, f.por, when_es(f.at_ms))}
                {detalle.editable.then(|| view! { <a href=format!("/api/v1/registros/{}/archivo", f.registro_id) download="">"Copia firmada"</a> })}
            </p>
        })}
        {match (p.estado, detalle.editable) {
            (EstadoPacto::Borrador, true) => view! { <Editor detalle=detalle.clone() instituciones recargar/> }.into_any(),
            (EstadoPacto::Borrador, false) => view! {
                <p class="notice">"Borrador: lo edita el equipo de la Secretaría. Aquí se puede leer."</p>
                <BorradorLectura detalle=detalle.clone() instituciones/>
            }.into_any(),
            (EstadoPacto::Firmado, editable) => view! {
                <DatosReunion contenido=p.contenido.clone() barrio/>
                <details class="pacto-detalles">
                    <summary>"Problemas priorizados del diagnóstico"</summary>
                    <ProblemasTabla problemas=p.contenido.problemas.clone()/>
                </details>
                <Seguimiento detalle=detalle.clone() instituciones=instituciones.clone() vigente recargar/>
                {(editable && vigente).then(|| view! { <Publicar detalle=detalle.clone() instituciones/> })}
            }.into_any(),
        }}
    }
}

/// A draft as a facilitator reads it.
#[component]
fn BorradorLectura(detalle: PactoDetalle, instituciones: Vec<Institucion>) -> impl IntoView {
    let c = detalle.pacto.contenido.clone();
    let convertidas = super::soluciones_convertidas(&c.compromisos);
    view! {
        <DatosReunion contenido=c.clone() barrio=detalle.pacto.barrio_id/>
        <ProblemasTabla problemas=c.problemas.clone()/>
        <Soluciones soluciones=c.soluciones.clone() instituciones=instituciones.clone() convertidas=Signal::stored(convertidas)/>
        <section class="pacto-section">
            <h2>"Compromisos"</h2>
            {if c.compromisos.is_empty() {
                view! { <p class="empty">"Aún no hay compromisos."</p> }.into_any()
            } else {
                view! {
                    <ol class="pacto-cards">
                        {c.compromisos.into_iter().enumerate().map(|(i, k)| view! {
                            <li class="pacto-card" id=format!("compromiso-{}", i + 1)>
                                <h3>{format!("Compromiso {}", i + 1)}</h3>
                                <CompromisoHechos compromiso=k instituciones=instituciones.clone() lugares=detalle.lugares.clone()/>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pacto::pacto::{Pacto, PactoContenido};

    fn detalle(estado: EstadoPacto, otrosi: Option<u128>) -> PactoDetalle {
        PactoDetalle {
            pacto: Pacto {
                id: uuid::Uuid::from_u128(1),
                barrio_id: 1,
                ciclo_id: None,
                diagnostico: 1,
                version: 1,
                anterior: None,
                revision: 2,
                contenido: PactoContenido::default(),
                estado,
                firma: None,
                creado_por: "ana".into(),
                creado_ms: 0,
                actualizado_por: "ana".into(),
                actualizado_ms: 0,
            },
            barrio: "Pescaíto".into(),
            lugares: vec![],
            estados: vec![],
            otrosi: otrosi.map(uuid::Uuid::from_u128),
            publicacion: None,
            ciclo_abierto: None,
            editable: true,
        }
    }

    #[test]
    fn a_signed_pacto_stays_in_force_while_its_otrosi_is_a_draft() {
        let id = uuid::Uuid::from_u128(1);
        let linea = |n: u128, vigente| PactoResumen {
            id: uuid::Uuid::from_u128(n),
            version: n as u32,
            anterior: None,
            diagnostico: 1,
            revision: 1,
            estado: EstadoPacto::Firmado,
            fecha: String::new(),
            compromisos: 1,
            firmado_ms: None,
            vigente,
            actualizado_ms: 0,
        };
        let d = detalle(EstadoPacto::Firmado, Some(2));
        assert!(en_vigor(id, &d, Some(&[linea(2, false), linea(1, true)])));
        assert!(!en_vigor(id, &d, Some(&[linea(2, true), linea(1, false)])));
        // Without the list: only a signed pacto with no newer version.
        assert!(!en_vigor(id, &d, None));
        assert!(en_vigor(id, &detalle(EstadoPacto::Firmado, None), None));
        assert!(!en_vigor(id, &detalle(EstadoPacto::Borrador, None), None));
    }
}
