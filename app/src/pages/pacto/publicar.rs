//! "Publicar" a signed pacto, "editado por seguridad": staff approve compromisos one by one, in
//! the words to publish and with a place in general words — never the place of a sensitive
//! problem — see the preview the server builds, publish, and see the publication in force.

use leptos::prelude::*;
use uuid::Uuid;

use super::api;
use super::publico::CompromisosPublicadosLista;
use super::{lugar_sensible, nombre_de};
use crate::model::pacto::compromiso::MAX_LUGAR_CHARS;
use crate::model::pacto::institucion::Institucion;
use crate::model::pacto::pacto::{titulo, PactoDetalle};
use crate::model::pacto::publicacion::{CompromisoAprobado, PactoPublicado, PublicarPacto};
use crate::model::pacto::PactoError;
use crate::model::workshop::{date_es, when_es};
use crate::model::Bilingual;

/// Staff's decision on one compromiso.
#[derive(Clone, Copy)]
struct Eleccion {
    id: Uuid,
    aprobado: RwSignal<bool>,
    que: RwSignal<String>,
    lugar: RwSignal<String>,
    /// Its hotspot is sensitive: no place is sent, whatever was typed.
    sensible: bool,
}

/// What staff approved, as the API takes it.
fn pedido(elecciones: &[Eleccion]) -> PublicarPacto {
    PublicarPacto {
        compromisos: elecciones
            .iter()
            .filter(|e| e.aprobado.get_untracked())
            .map(|e| CompromisoAprobado {
                id: e.id,
                que: e.que.get_untracked(),
                lugar: if e.sensible { String::new() } else { e.lugar.get_untracked() },
            })
            .collect(),
    }
}

#[component]
pub fn Publicar(detalle: PactoDetalle, instituciones: Vec<Institucion>) -> impl IntoView {
    let p = detalle.pacto;
    let (id, barrio) = (p.id, p.barrio_id);
    let vigente = RwSignal::new(detalle.publicacion.clone());
    let previa = RwSignal::new(None::<PactoPublicado>);
    let error = RwSignal::new(None::<String>);
    let aviso = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Start from what is published, if any: its choices and its words. It is of this pacto's
    // lineage, and a compromiso keeps its id across an otrosí.
    let desde = detalle.publicacion.as_ref();
    let filas: Vec<(usize, String, String, Eleccion)> = p
        .contenido
        .compromisos
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let publicado = desde.and_then(|x| x.compromisos.iter().find(|k| k.id == c.id));
            let sensible = lugar_sensible(c, &detalle.lugares);
            let eleccion = Eleccion {
                id: c.id,
                aprobado: RwSignal::new(publicado.is_some()),
                que: RwSignal::new(publicado.map_or_else(|| c.que.clone(), |k| k.que.clone())),
                lugar: RwSignal::new(if sensible { String::new() } else { publicado.map_or_else(|| c.lugar.clone(), |k| k.lugar.clone()) }),
                sensible,
            };
            let fecha = if c.fecha_limite.is_empty() { "sin fecha".to_string() } else { date_es(&c.fecha_limite) };
            (i + 1, nombre_de(&instituciones, &c.responsable), fecha, eleccion)
        })
        .collect();
    let elecciones = StoredValue::new(filas.iter().map(|f| f.3).collect::<Vec<_>>());
    let listo = move || {
        let pedido = elecciones.with_value(|e| pedido(e));
        if pedido.compromisos.is_empty() {
            error.set(Some(PactoError::NothingToPublish.es()));
            return None;
        }
        Some(pedido)
    };
    let vista = move |_| {
        let Some(pedido) = listo() else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::post::<PactoPublicado>(&format!("/api/v1/pactos/{id}/publicacion/vista"), &pedido).await {
                Ok(v) => {
                    error.set(None);
                    previa.set(Some(v));
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    let publicar = move |_| {
        let Some(pedido) = listo() else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::post::<PactoPublicado>(&format!("/api/v1/pactos/{id}/publicacion"), &pedido).await {
                Ok(v) => {
                    error.set(None);
                    previa.set(None);
                    vigente.set(Some(v));
                    aviso.set(Some("Publicado: ya se ve en la página pública del barrio.".into()));
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="pacto-section pacto-publicar" data-testid="publicar-pacto">
            <h2>"Publicar los compromisos"</h2>
            {move || match vigente.get() {
                None => view! { <p class="muted">"Aún no se han publicado compromisos de este pacto."</p> }.into_any(),
                Some(v) => {
                    let otra = (v.pacto_id != id).then(|| format!(" Es de otra versión: {}.", titulo(v.pacto_version)));
                    view! {
                        <div class="pacto-vigente" data-testid="publicacion-vigente">
                            <p><strong>"Publicación vigente"</strong>{format!(" · publicada el {}{}", when_es(v.publicado_ms), otra.unwrap_or_default())}</p>
                            <CompromisosPublicadosLista publicado=v/>
                            <p><a href=format!("/publico/{barrio}")>"Ver la página pública del barrio"</a></p>
                        </div>
                    }.into_any()
                }
            }}
            <details class="pacto-publicar-form">
                <summary class="button small">"Elegir qué publicar"</summary>
                <p class="barrio-meta">"Solo se publica lo que se aprueba aquí, uno por uno, con las palabras de aquí: revise que no nombren a nadie ni señalen una casa. El lugar va en palabras generales, y el de un problema sensible nunca se publica. El estado de cada compromiso se muestra al día."</p>
                <ul class="text-choices">
                    {filas.into_iter().map(|(n, institucion, fecha, e)| view! {
                        <li class="text-choice" class:on=move || e.aprobado.get() data-compromiso=e.id.to_string()>
                            <label class="toggle">
                                <input type="checkbox" name="aprobado" prop:checked=e.aprobado on:change=move |ev| e.aprobado.set(event_target_checked(&ev))/>
                                <span>{format!("Publicar el compromiso {n}: {institucion} · hasta el {fecha}")}</span>
                            </label>
                            <label class="field"><span>"Qué se publica"</span>
                                <textarea name="que" rows="2" maxlength="600" prop:value=e.que on:input=move |ev| e.que.set(event_target_value(&ev))></textarea>
                            </label>
                            <label class="field"><span>"Dónde, en palabras generales"</span>
                                <input type="text" name="lugar" maxlength=MAX_LUGAR_CHARS.to_string() disabled=e.sensible prop:value=e.lugar
                                    on:input=move |ev| e.lugar.set(event_target_value(&ev))/>
                            </label>
                            {e.sensible.then(|| view! {
                                <p class="pacto-sensible">
                                    <svg class="legend-lock" viewBox="0 0 24 24" aria-hidden="true"><use_ href="#icon-lock"/></svg>
                                    "No se publica el lugar de un problema sensible."
                                </p>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
                <p class="publish-check-actions">
                    <button type="button" class="button" disabled=move || busy.get() on:click=vista data-testid="vista-previa">"Vista previa"</button>
                    <button type="button" class="button primary" disabled=move || busy.get() on:click=publicar data-testid="publicar">"Publicar"</button>
                </p>
                {move || error.get().map(|e| view! { <p class="notice warn" role="alert">{e}</p> })}
                {move || aviso.get().map(|a| view! { <p class="notice ok" role="status">{a}</p> })}
                {move || previa.get().map(|v| view! {
                    <div class="publish-preview" data-testid="vista-previa-pacto">
                        <p><strong>"Vista previa"</strong>" — así se verá en la página pública (aún no está publicado)."</p>
                        <CompromisosPublicadosLista publicado=v/>
                    </div>
                })}
            </details>
        </section>
    }
}
