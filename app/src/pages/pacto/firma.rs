//! "Marcar como firmado": the signed paper's scan is kept as a registro of paso 4 (type
//! `pacto_firmado`) of the pacto's ciclo, then the revision that was printed is marked signed.
//! After that the pacto no longer changes; an otrosí does.

use leptos::prelude::*;
use uuid::Uuid;

use super::api;
use crate::model::pacto::pacto::{FirmaDraft, Pacto};
use crate::model::ruta::{Paso, TipoRegistro};

/// What went wrong while signing, and whether reading the pacto again is the way out.
#[derive(Debug, Clone, PartialEq)]
struct Problema {
    mensaje: String,
    recargar: bool,
}

#[component]
pub fn MarcarFirmado(
    pacto: Uuid,
    barrio: i64,
    ciclo: Option<Uuid>,
    titulo: String,
    #[prop(into)] revision: Signal<u32>,
    /// The meeting's date, where the signing date starts.
    #[prop(into)]
    fecha: Signal<String>,
    #[prop(into)] sin_guardar: Signal<bool>,
    /// The saved revision has no compromiso: the server would refuse to sign it, after the
    /// scan was already kept.
    #[prop(into)]
    sin_compromisos: Signal<bool>,
    recargar: RwSignal<u32>,
) -> impl IntoView {
    let Some(ciclo) = ciclo else {
        return view! {
            <section class="pacto-section pacto-firma" data-testid="firma-sin-ciclo">
                <h2>"Marcar como firmado"</h2>
                <p class="notice warn">
                    "Este pacto no está ligado a un ciclo de la ruta, y la copia firmada se guarda como registro del paso 4 del ciclo. "
                    "El barrio necesita un ciclo abierto en la ruta. "
                    <a href=format!("/ruta/{barrio}")>"Ir a la ruta del barrio"</a>
                </p>
            </section>
        }
        .into_any();
    };
    let dia = RwSignal::new(fecha.get_untracked());
    if dia.get_untracked().is_empty() {
        dia.set(super::hoy());
    }
    let file_input = NodeRef::<leptos::html::Input>::new();
    // The registro already kept on an attempt whose signing failed: a retry does not upload
    // the same scan twice.
    let subido = RwSignal::new(None::<Uuid>);
    let problema = RwSignal::new(None::<Problema>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sin_compromisos.get_untracked() {
            problema.set(Some(Problema { mensaje: "Un pacto se firma con al menos un compromiso guardado.".into(), recargar: false }));
            return;
        }
        if sin_guardar.get_untracked() {
            problema.set(Some(Problema {
                mensaje: "Hay cambios sin guardar: guárdelos e imprima esa revisión antes de marcarla como firmada.".into(),
                recargar: false,
            }));
            return;
        }
        let fecha = dia.get_untracked();
        if fecha.is_empty() {
            problema.set(Some(Problema { mensaje: "Escriba la fecha en que se firmó.".into(), recargar: false }));
            return;
        }
        let file = api::archivo(file_input);
        if subido.get_untracked().is_none() && file.is_none() {
            problema.set(Some(Problema { mensaje: "Elija el PDF o la foto del pacto firmado.".into(), recargar: false }));
            return;
        }
        let revision = revision.get_untracked();
        let descripcion = format!("{titulo} firmado (revisión {revision})");
        busy.set(true);
        leptos::task::spawn_local(async move {
            let registro_id = match (subido.get_untracked(), file) {
                (Some(r), _) => r,
                (None, Some(file)) => {
                    match api::subir_registro(ciclo, Paso::Pacto, TipoRegistro::PactoFirmado, &fecha, &descripcion, file).await {
                        Ok(r) => {
                            subido.set(Some(r.id));
                            r.id
                        }
                        Err(e) => {
                            problema.set(Some(Problema {
                                mensaje: format!("No se pudo guardar la copia firmada: {}", e.message),
                                recargar: false,
                            }));
                            busy.set(false);
                            return;
                        }
                    }
                }
                (None, None) => return,
            };
            match api::post::<Pacto>(&format!("/api/v1/pactos/{pacto}/firma"), &FirmaDraft { revision, registro_id, fecha }).await {
                Ok(_) => {
                    problema.set(None);
                    recargar.update(|v| *v += 1);
                }
                Err(e) => problema.set(Some(Problema {
                    mensaje: format!(
                        "La copia quedó guardada como registro del paso 4, pero el pacto no se marcó como firmado: {}",
                        e.message
                    ),
                    recargar: e.conflict(),
                })),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="pacto-section pacto-firma" data-testid="firma">
            <details>
                <summary class="button small">"Marcar como firmado"</summary>
                <form class="upload-form" on:submit=submit>
                    <p class="wide">
                        {move || format!(
                            "Imprima el pacto, fírmenlo en la reunión y suba aquí la copia escaneada. Se marca firmada la revisión {}, la que se imprimió; desde entonces el pacto no se edita: un cambio se hace con un otrosí.",
                            revision.get()
                        )}
                    </p>
                    <label class="field"><span>"Fecha de la firma"</span>
                        <input type="date" name="fecha_firma" required prop:value=dia on:input=move |ev| dia.set(event_target_value(&ev))/>
                    </label>
                    <label class="field wide"><span>"PDF o foto del pacto firmado"</span>
                        <input type="file" name="scan" node_ref=file_input accept=".pdf,.jpg,.jpeg,.png,.webp,application/pdf,image/*"
                            on:change=move |_| subido.set(None)/>
                    </label>
                    {move || subido.get().is_some().then(|| view! { <p class="ok-text wide">"La copia ya está guardada como registro: falta marcar el pacto."</p> })}
                    {move || sin_guardar.get().then(|| view! { <p class="warn-text wide">"Hay cambios sin guardar: guárdelos e imprima esa revisión primero."</p> })}
                    {move || sin_compromisos.get().then(|| view! { <p class="warn-text wide">"Un pacto se firma con al menos un compromiso guardado."</p> })}
                    <button type="submit" class="button primary" disabled=move || busy.get() || sin_guardar.get() || sin_compromisos.get() data-testid="marcar-firmado">
                        {move || if busy.get() { "Guardando…" } else { "Marcar como firmado" }}
                    </button>
                    {move || problema.get().map(|p| view! {
                        <p class="notice warn wide" role="alert">
                            {p.mensaje}
                            {p.recargar.then(|| view! { " " <button type="button" class="button small" on:click=move |_| recargar.update(|v| *v += 1)>"Volver a cargar"</button> })}
                        </p>
                    })}
                </form>
            </details>
        </section>
    }
    .into_any()
}
