//! A signed pacto's follow-up: each compromiso with its status (overdue marked) and the whole
//! history of its changes — who, when, the evidence — and for staff the form that records a
//! new status (with an optional evidence file kept as a registro) and the otrosí.

use leptos::prelude::*;
use uuid::Uuid;

use super::api;
use super::lectura::CompromisoHechos;
use super::{estado_de, historia, nombre_de, EstadoBadge};
use crate::model::pacto::compromiso::{vencido, CambioEstado, CambioEstadoDraft, Compromiso, EstadoCompromiso};
use crate::model::pacto::institucion::Institucion;
use crate::model::pacto::pacto::{LugarOpcion, Pacto, PactoDetalle};
use crate::model::ruta::{Paso, TipoRegistro};
use crate::model::words::count_es;
use crate::model::workshop::when_es;
use crate::model::Bilingual;

/// Evidence files are kept at paso 7, "Seguimiento a los compromisos", as another document:
/// they count for none of the seed's registros.
const PASO_EVIDENCIA: Paso = Paso::Seguimiento;

/// How many of `compromisos` are overdue on `hoy`.
pub fn vencidos(compromisos: &[Compromiso], estados: &[CambioEstado], hoy: &str) -> usize {
    compromisos.iter().filter(|c| vencido(estado_de(estados, c.id), &c.fecha_limite, hoy)).count()
}

#[component]
pub fn Seguimiento(detalle: PactoDetalle, instituciones: Vec<Institucion>, vigente: bool, recargar: RwSignal<u32>) -> impl IntoView {
    let p = detalle.pacto.clone();
    let hoy = super::hoy();
    let editable = detalle.editable;
    let total = p.contenido.compromisos.len();
    let atrasados = vencidos(&p.contenido.compromisos, &detalle.estados, &hoy);
    // Once a newer version is signed, its page is where statuses change (the server agrees).
    let reemplazado = !vigente;
    view! {
        <section class="pacto-section">
            <h2>"Compromisos y su seguimiento"</h2>
            <p class="barrio-meta" data-testid="seguimiento-resumen">
                {count_es(total, "compromiso", "compromisos")}
                {(atrasados > 0).then(|| format!(" · {}", count_es(atrasados, "vencido", "vencidos")))}
            </p>
            <ol class="pacto-cards" data-testid="seguimiento">
                {p.contenido.compromisos.iter().enumerate().map(|(i, c)| {
                    let h = historia(&detalle.estados, c.id);
                    let estado = estado_de(&detalle.estados, c.id);
                    view! {
                        <SeguimientoCard n=i + 1 compromiso=c.clone() historia=h estado vencido=vencido(estado, &c.fecha_limite, &hoy)
                            pacto=p.clone() instituciones=instituciones.clone() lugares=detalle.lugares.clone() editable reemplazado recargar/>
                    }
                }).collect_view()}
            </ol>
            {(editable && detalle.otrosi.is_none()).then(|| view! { <HacerOtrosi pacto=p.id barrio=p.barrio_id/> })}
        </section>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn SeguimientoCard(
    n: usize,
    compromiso: Compromiso,
    historia: Vec<CambioEstado>,
    estado: EstadoCompromiso,
    vencido: bool,
    pacto: Pacto,
    instituciones: Vec<Institucion>,
    lugares: Vec<LugarOpcion>,
    editable: bool,
    reemplazado: bool,
    recargar: RwSignal<u32>,
) -> impl IntoView {
    let institucion = nombre_de(&instituciones, &compromiso.responsable);
    let cambios = historia.len();
    let abierta = cambios > 0;
    let id = compromiso.id;
    view! {
        <li class="pacto-card" class:vencido=vencido id=format!("compromiso-{n}") data-compromiso=id.to_string() data-estado=estado.code()>
            <div class="pacto-card-head">
                <h3>{format!("{n}. {institucion}")}</h3>
                <EstadoBadge estado vencido/>
            </div>
            <CompromisoHechos compromiso=compromiso.clone() instituciones lugares/>
            <details class="pacto-historia" open=abierta>
                <summary>{format!("Historia del estado ({})", count_es(cambios, "cambio", "cambios"))}</summary>
                <ol>
                    // An otrosí's compromisos carry their history from the versions before.
                    {pacto.anterior.is_none().then(|| view! {
                        <li><small>{pacto.firma.as_ref().map_or_else(|| "Pendiente desde la firma".to_string(), |f| format!("Pendiente desde la firma, {}", when_es(f.at_ms)))}</small></li>
                    })}
                    {historia.into_iter().map(|h| view! { <CambioLinea cambio=h pacto=pacto.id editable/> }).collect_view()}
                </ol>
            </details>
            {(editable && !reemplazado).then(|| match estado {
                EstadoCompromiso::Cancelado => view! { <p class="muted">"Cancelado: no cambia más; un otrosí puede retomarlo."</p> }.into_any(),
                _ => view! { <CambiarEstado n compromiso pacto=pacto.id ciclo=pacto.ciclo_id actual=estado recargar/> }.into_any(),
            })}
        </li>
    }
}

/// One line of a compromiso's history.
#[component]
fn CambioLinea(cambio: CambioEstado, pacto: Uuid, editable: bool) -> impl IntoView {
    let h = cambio;
    let antes = (h.pacto_id != pacto).then_some(" · en una versión anterior del pacto");
    view! {
        <li data-estado=h.estado.code()>
            <strong>{h.estado.label_es()}</strong>
            <small>{format!(" · {} · {}", h.por, when_es(h.at_ms))}{antes}</small>
            {(!h.evidencia.is_empty()).then(|| view! { <p class="pacto-evidencia">{format!("Evidencia: {}", h.evidencia)}</p> })}
            {(!h.motivo.is_empty()).then(|| view! { <p class="pacto-evidencia">{format!("Motivo: {}", h.motivo)}</p> })}
            // Registros' files are the staff's to download (the server says so too).
            {h.registro_id.map(|r| if editable {
                view! { <p><a href=format!("/api/v1/registros/{r}/archivo") download="">"Archivo de evidencia (registro de la ruta)"</a></p> }.into_any()
            } else {
                view! { <p class="muted">"Con un archivo de evidencia guardado en la ruta."</p> }.into_any()
            })}
        </li>
    }
}

/// "Cambiar estado": the new status with its evidence (a text, a file, or both); the reason
/// when it is cancelled.
#[component]
fn CambiarEstado(
    n: usize,
    compromiso: Compromiso,
    pacto: Uuid,
    ciclo: Option<Uuid>,
    actual: EstadoCompromiso,
    recargar: RwSignal<u32>,
) -> impl IntoView {
    let cid = compromiso.id;
    let nuevo = RwSignal::new(None::<EstadoCompromiso>);
    let evidencia = RwSignal::new(String::new());
    let motivo = RwSignal::new(String::new());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let resumen: String = compromiso.que.chars().take(120).collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(estado) = nuevo.get_untracked() else {
            error.set(Some("Elija el nuevo estado.".into()));
            return;
        };
        let file = api::archivo(file_input);
        let draft = CambioEstadoDraft { estado, motivo: motivo.get_untracked(), evidencia: evidencia.get_untracked(), registro_id: None };
        // Checked as the server will, a chosen file counting as the registro it will become.
        let with_file = CambioEstadoDraft { registro_id: file.is_some().then(Uuid::nil), ..draft.clone() };
        if let Err(e) = with_file.checked(actual) {
            error.set(Some(e.es()));
            return;
        }
        if file.is_some() && ciclo.is_none() {
            error.set(Some("Este pacto no está ligado a un ciclo de la ruta: el archivo no se puede guardar como registro. Escriba la evidencia como texto.".into()));
            return;
        }
        let descripcion = format!("Evidencia del compromiso {n} del pacto ({}): {resumen}", estado.label_es());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let registro_id = match (file, ciclo) {
                (Some(file), Some(ciclo)) => {
                    match api::subir_registro(ciclo, PASO_EVIDENCIA, TipoRegistro::Otro, &super::hoy(), &descripcion, file).await {
                        Ok(r) => Some(r.id),
                        Err(e) => {
                            error.set(Some(format!("No se pudo guardar el archivo de evidencia: {}", e.message)));
                            busy.set(false);
                            return;
                        }
                    }
                }
                _ => None,
            };
            let body = CambioEstadoDraft { registro_id, ..draft };
            match api::post::<CambioEstado>(&format!("/api/v1/pactos/{pacto}/compromisos/{cid}/estados"), &body).await {
                Ok(_) => recargar.update(|v| *v += 1),
                Err(e) => {
                    let kept = if registro_id.is_some() { " El archivo quedó guardado como registro de la ruta." } else { "" };
                    error.set(Some(format!("{}{kept}", e.message)));
                }
            }
            busy.set(false);
        });
    };
    let opciones: Vec<EstadoCompromiso> = EstadoCompromiso::ALL.into_iter().filter(|e| *e != actual).collect();
    let cancelar = move || nuevo.get() == Some(EstadoCompromiso::Cancelado);
    view! {
        <details class="pacto-cambio">
            <summary class="button small">"Cambiar estado"</summary>
            <form class="upload-form" on:submit=submit data-testid=format!("cambiar-estado-{n}")>
                <label class="field"><span>"Nuevo estado"</span>
                    <select name="estado" required on:change=move |ev| nuevo.set(EstadoCompromiso::from_code(&event_target_value(&ev)))>
                        <option value="" selected=true>"Elija el estado"</option>
                        {opciones.into_iter().map(|e| view! { <option value=e.code()>{e.label_es()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field wide"><span>"Evidencia: qué muestra el cambio (una visita, un oficio, una foto…)"</span>
                    <textarea name="evidencia" rows="2" maxlength="2000" prop:value=evidencia on:input=move |ev| evidencia.set(event_target_value(&ev))></textarea>
                </label>
                <label class="field wide"><span>"Archivo de evidencia (opcional): se guarda como registro de la ruta"</span>
                    <input type="file" name="evidencia_archivo" node_ref=file_input
                        accept=".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,.odt,.ods,application/pdf,image/*"/>
                </label>
                <label class="field wide"><span>{move || if cancelar() { "Motivo de la cancelación (obligatorio)" } else { "Motivo (opcional)" }}</span>
                    <textarea name="motivo" rows="2" maxlength="2000" required=cancelar prop:value=motivo on:input=move |ev| motivo.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Guardando…" } else { "Guardar el nuevo estado" }}
                </button>
                {move || error.get().map(|e| view! { <p class="notice warn wide" role="alert">{e}</p> })}
            </form>
        </details>
    }
}

/// "Hacer otrosí": a new version to amend the signed pacto, opened right away.
#[component]
fn HacerOtrosi(pacto: Uuid, barrio: i64) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    let hacer = move |_| {
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::post::<Pacto>(&format!("/api/v1/pactos/{pacto}/otrosi"), &serde_json::json!({})).await {
                Ok(p) => navigate(&format!("/ruta/{barrio}/pacto/{}", p.id), Default::default()),
                Err(e) => {
                    error.set(Some(e.message));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <details class="pacto-otrosi" data-testid="otrosi">
            <summary class="button small">"Hacer otrosí"</summary>
            <div class="upload-form">
                <p class="wide">"Un otrosí es una nueva versión del pacto que lo modifica: empieza con los compromisos firmados para cambiarlos, se imprime y se firma de nuevo. La historia de cada compromiso sigue en la nueva versión."</p>
                <button type="button" class="button primary" disabled=move || busy.get() on:click=hacer>"Empezar el otrosí"</button>
                {move || error.get().map(|e| view! { <p class="notice warn wide" role="alert">{e}</p> })}
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_counts_open_compromisos_past_their_date() {
        let c = |n: u128, fecha: &str| Compromiso {
            id: Uuid::from_u128(n),
            responsable: "essmar".into(),
            que: "Algo".into(),
            hotspot_id: None,
            lugar: String::new(),
            fecha_limite: fecha.into(),
            indicador: "Se verá".into(),
            solucion_id: None,
        };
        let cumplido = CambioEstado {
            seq: 1,
            compromiso_id: Uuid::from_u128(2),
            pacto_id: Uuid::from_u128(9),
            estado: EstadoCompromiso::Cumplido,
            motivo: String::new(),
            evidencia: "Visita".into(),
            registro_id: None,
            por: "ana".into(),
            at_ms: 0,
        };
        let list = vec![c(1, "2027-01-01"), c(2, "2027-01-01"), c(3, "2027-06-01")];
        assert_eq!(vencidos(&list, &[cumplido], "2027-02-01"), 1);
        assert_eq!(vencidos(&list, &[], "2026-12-01"), 0);
    }
}
