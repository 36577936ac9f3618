//! A pacto's draft, for staff: the meeting and its context, the community's solutions turned
//! into compromisos, each compromiso's who, what, where, by when and indicator; saved as a new
//! revision on the one it was made on, so two people never overwrite each other unseen.

use leptos::prelude::*;
use uuid::Uuid;

use super::api;
use super::firma::MarcarFirmado;
use super::lectura::{ProblemasTabla, Soluciones};
use super::{
    compromiso_del_mensaje, de_la_comunidad, etiquetas_lugares, ir_a, lugar_sensible, nombre_de, nuevo_id, soluciones_convertidas,
};
use crate::model::acta::{Acta, ActaKind};
use crate::model::pacto::borrador::compromiso_de;
use crate::model::pacto::compromiso::{Compromiso, MAX_INDICADOR_CHARS, MAX_LUGAR_CHARS as MAX_LUGAR_COMPROMISO, MAX_QUE_CHARS};
use crate::model::pacto::institucion::{Institucion, TipoInstitucion};
use crate::model::pacto::pacto::{GuardarPacto, LugarOpcion, Pacto, PactoContenido, PactoDetalle, MAX_CONTEXTO_CHARS, MAX_LUGAR_CHARS};
use crate::model::pacto::PactoError;
use crate::model::Bilingual;

/// What the last save (or its check) said.
#[derive(Debug, Clone, PartialEq)]
enum Aviso {
    Guardado(String),
    /// Refused: the message, and the compromiso (0-based) it is about, if one.
    Rechazado(String, Option<usize>),
    /// 409: someone saved another revision first, or the pacto was signed meanwhile.
    Conflicto(String),
}

/// A compromiso being edited: a signal of its own, so typing in one card redraws only it.
#[derive(Clone, Copy)]
struct Fila {
    c: RwSignal<Compromiso>,
}

fn filas_de(compromisos: &[Compromiso]) -> Vec<Fila> {
    compromisos.iter().map(|c| Fila { c: RwSignal::new(c.clone()) }).collect()
}

/// The content checked as the server will check it, before sending: on a refusal, its
/// Spanish message and the compromiso (0-based) to point at. `activa(code)`: the catalogue
/// has that institution, active; `lugar(id)`: the diagnóstico has that hotspot.
pub fn revisar(
    contenido: &PactoContenido,
    activa: impl Fn(&str) -> bool,
    lugar: impl Fn(&Uuid) -> bool,
) -> Result<(), (String, Option<usize>)> {
    let Err(e) = contenido.clone().checked(&activa, &lugar) else { return Ok(()) };
    let named = match &e {
        PactoError::CompromisoIncompleto(i, _)
        | PactoError::UnknownInstitution(i, _)
        | PactoError::RepeatedCompromiso(i)
        | PactoError::UnknownPlace(i) => Some(*i),
        _ => None,
    };
    // Some refusals (a text too long, a bad date) do not say which compromiso: the first that
    // fails on its own is the one.
    let i = named.or_else(|| contenido.compromisos.iter().enumerate().position(|(i, c)| c.clone().checked(i).is_err()));
    Err((e.es(), i))
}

#[component]
pub fn Editor(detalle: PactoDetalle, instituciones: Vec<Institucion>, recargar: RwSignal<u32>) -> impl IntoView {
    let pacto = detalle.pacto;
    let (id, barrio) = (pacto.id, pacto.barrio_id);
    let guardado = RwSignal::new(pacto.contenido.clone());
    let revision = RwSignal::new(pacto.revision);
    let fecha = RwSignal::new(pacto.contenido.fecha.clone());
    let lugar = RwSignal::new(pacto.contenido.lugar.clone());
    let contexto = RwSignal::new(pacto.contenido.contexto.clone());
    let acta = RwSignal::new(pacto.contenido.acta_id);
    let filas = RwSignal::new(filas_de(&pacto.contenido.compromisos));
    let aviso = RwSignal::new(None::<Aviso>);
    let busy = RwSignal::new(false);
    let catalogo = StoredValue::new(instituciones.clone());
    let lugares = StoredValue::new(detalle.lugares.clone());
    let actas = RwSignal::new(None::<Vec<Acta>>);

    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let all: Vec<Acta> = api::get(&format!("/api/v1/barrios/{barrio}/actas")).await.unwrap_or_default();
            actas.set(Some(all.into_iter().filter(|a| a.kind == ActaKind::Socializacion && !a.deleted).collect()));
        });
    });

    let contenido = move || {
        let compromisos = filas.with(|f| f.iter().map(|f| f.c.get()).collect());
        guardado.with(|g| PactoContenido {
            fecha: fecha.get(),
            lugar: lugar.get(),
            contexto: contexto.get(),
            problemas: g.problemas.clone(),
            soluciones: g.soluciones.clone(),
            compromisos,
            acta_id: acta.get(),
        })
    };
    let sin_guardar = Memo::new(move |_| {
        let now = contenido();
        guardado.with(|g| *g != now)
    });
    let convertidas = Signal::derive(move || filas.with(|f| soluciones_convertidas(&f.iter().map(|f| f.c.get()).collect::<Vec<_>>())));

    // What the server kept (trimmed) becomes what the form shows, so nothing reads unsaved.
    let aplicar = move |saved: PactoContenido| {
        fecha.set(saved.fecha.clone());
        lugar.set(saved.lugar.clone());
        contexto.set(saved.contexto.clone());
        acta.set(saved.acta_id);
        let same_rows = filas.with_untracked(|f| {
            f.len() == saved.compromisos.len() && f.iter().zip(&saved.compromisos).all(|(f, c)| f.c.with_untracked(|k| k.id == c.id))
        });
        if same_rows {
            filas.with_untracked(|f| f.iter().zip(&saved.compromisos).for_each(|(f, c)| f.c.set(c.clone())));
        } else {
            filas.set(filas_de(&saved.compromisos));
        }
        guardado.set(saved);
    };

    let apuntar = move |i: Option<usize>| {
        if let Some(i) = i {
            ir_a(&format!("compromiso-{}", i + 1));
        }
    };
    let guardar = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = untrack(contenido);
        let checked = catalogo.with_value(|cat| {
            lugares.with_value(|lug| {
                revisar(&c, |code| cat.iter().any(|i| i.codigo == code && i.activa), |h| lug.iter().any(|l| l.hotspot_id == *h))
            })
        });
        if let Err((mensaje, i)) = checked {
            aviso.set(Some(Aviso::Rechazado(mensaje, i)));
            apuntar(i);
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = GuardarPacto { revision: revision.get_untracked(), contenido: c };
            match api::put::<Pacto>(&format!("/api/v1/pactos/{id}"), &body).await {
                Ok(p) => {
                    revision.set(p.revision);
                    aplicar(p.contenido);
                    aviso.set(Some(Aviso::Guardado(format!("Guardado: revisión {}.", p.revision))));
                }
                Err(r) if r.conflict() => aviso.set(Some(Aviso::Conflicto(r.message))),
                Err(r) => {
                    let i = compromiso_del_mensaje(&r.message);
                    aviso.set(Some(Aviso::Rechazado(r.message, i)));
                    apuntar(i);
                }
            }
            busy.set(false);
        });
    };

    let convertir = Callback::new(move |solucion: Uuid| {
        let Some(s) = guardado.with_untracked(|g| g.soluciones.iter().find(|s| s.id == solucion).cloned()) else { return };
        let c = catalogo.with_value(|cat| compromiso_de(&s, nuevo_id(), |code| cat.iter().any(|i| i.codigo == code && i.activa)));
        filas.update(|f| f.push(Fila { c: RwSignal::new(c) }));
        ir_a(&format!("compromiso-{}", filas.with_untracked(Vec::len)));
    });
    let agregar = move |_| {
        let c = Compromiso {
            id: nuevo_id(),
            responsable: String::new(),
            que: String::new(),
            hotspot_id: None,
            lugar: String::new(),
            fecha_limite: String::new(),
            indicador: String::new(),
            solucion_id: None,
        };
        filas.update(|f| f.push(Fila { c: RwSignal::new(c) }));
        ir_a(&format!("compromiso-{}", filas.with_untracked(Vec::len)));
    };
    let quitar = Callback::new(move |i: usize| {
        filas.update(|f| {
            if i < f.len() {
                f.remove(i);
            }
        });
    });
    let marcado = move || match aviso.get() {
        Some(Aviso::Rechazado(_, i)) => i,
        _ => None,
    };

    view! {
        <form class="pacto-editor" on:submit=guardar data-testid="pacto-editor">
            <section class="pacto-section">
                <h2>"La reunión"</h2>
                <div class="acta-form">
                    <label class="field"><span>"Fecha de la reunión"</span>
                        <input type="date" name="fecha" prop:value=fecha on:input=move |ev| fecha.set(event_target_value(&ev))/>
                    </label>
                    <label class="field"><span>"Lugar"</span>
                        <input type="text" name="lugar" maxlength=MAX_LUGAR_CHARS.to_string() prop:value=lugar on:input=move |ev| lugar.set(event_target_value(&ev))/>
                    </label>
                    <div class="field wide">
                        <label for="pacto-acta">"Acta de la reunión de socialización"</label>
                        {move || {
                            let list = actas.get().unwrap_or_default();
                            let chosen = acta.get();
                            let missing = chosen.filter(|c| !list.iter().any(|a| a.id == *c));
                            view! {
                                <select id="pacto-acta" name="acta" on:change=move |ev| acta.set(event_target_value(&ev).parse::<Uuid>().ok())>
                                    <option value="" selected=chosen.is_none()>"Sin acta"</option>
                                    {missing.map(|m| view! { <option value=m.to_string() selected=true>"El acta elegida (no está entre las de socialización)"</option> })}
                                    {list.into_iter().map(|a| {
                                        let label = format!("{} · {}", a.title(), if a.lugar.is_empty() { "sin lugar".to_string() } else { a.lugar.clone() });
                                        view! { <option value=a.id.to_string() selected=chosen == Some(a.id)>{label}</option> }
                                    }).collect_view()}
                                </select>
                            }
                        }}
                        <small class="muted">
                            {move || if actas.with(|a| a.as_ref().is_some_and(Vec::is_empty)) { "El barrio aún no tiene actas de socialización. " } else { "" }}
                            <a href=format!("/ruta/{barrio}/acta")>"Crear un acta (tipo «Socialización»)"</a>
                        </small>
                    </div>
                    <label class="field wide"><span>"Contexto: el resumen con que abre el pacto"</span>
                        <textarea name="contexto" rows="6" maxlength=MAX_CONTEXTO_CHARS.to_string() prop:value=contexto on:input=move |ev| contexto.set(event_target_value(&ev))></textarea>
                    </label>
                </div>
            </section>
            <ProblemasTabla problemas=pacto.contenido.problemas.clone()/>
            <Soluciones soluciones=pacto.contenido.soluciones.clone() instituciones=instituciones.clone() convertidas convertir/>
            <section class="pacto-section">
                <h2>"Compromisos"</h2>
                <p class="muted">"Cada compromiso dice quién lo cumple, qué hará, dónde, para cuándo y cómo se sabrá que se cumplió."</p>
                <ol class="pacto-cards" data-testid="compromisos">
                    {move || filas.get().into_iter().enumerate().map(|(i, fila)| {
                        let apuntado = Signal::derive(move || marcado() == Some(i));
                        view! { <CompromisoCard n=i + 1 fila catalogo lugares apuntado quitar/> }
                    }).collect_view()}
                </ol>
                <button type="button" class="button small" on:click=agregar data-testid="agregar-compromiso">"+ Agregar compromiso"</button>
            </section>
            <div class="pacto-savebar" data-testid="pacto-savebar">
                {move || if sin_guardar.get() {
                    view! { <span class="pending-chip" data-testid="sin-guardar">"Sin guardar"</span> }.into_any()
                } else {
                    view! { <span class="ok-text">{format!("✓ Guardado · revisión {}", revision.get())}</span> }.into_any()
                }}
                <button type="submit" class="button primary" disabled=move || busy.get() data-testid="guardar-pacto">
                    {move || if busy.get() { "Guardando…" } else { "Guardar" }}
                </button>
                <a class="button small quiet" href=format!("/ruta/{barrio}/pacto/{id}/imprimir")
                    title="Imprime lo guardado: guarde antes los cambios">"Imprimir"</a>
                {move || aviso.get().map(|a| match a {
                    Aviso::Guardado(t) => view! { <p class="notice ok" role="status">{t}</p> }.into_any(),
                    Aviso::Rechazado(t, i) => view! {
                        <p class="notice warn" role="alert" data-testid="pacto-rechazo">
                            {t}
                            {i.map(|i| view! { " " <button type="button" class="link-button" on:click=move |_| apuntar(Some(i))>{format!("Ir al compromiso {}", i + 1)}</button> })}
                        </p>
                    }.into_any(),
                    Aviso::Conflicto(t) => view! {
                        <p class="notice warn" role="alert" data-testid="pacto-conflicto">
                            {format!("{t} Alguien guardó otra revisión o el pacto ya se firmó: vuelva a cargarlo para ver la última (sus cambios sin guardar se perderán; copie antes lo que quiera conservar).")}
                            " "
                            <button type="button" class="button small" on:click=move |_| recargar.update(|v| *v += 1)>"Volver a cargar"</button>
                        </p>
                    }.into_any(),
                })}
            </div>
        </form>
        <MarcarFirmado pacto=id barrio ciclo=pacto.ciclo_id titulo=pacto.titulo() revision fecha sin_guardar
            sin_compromisos=Signal::derive(move || guardado.with(|g| g.compromisos.is_empty())) recargar/>
    }
}

/// One compromiso's fields.
#[component]
fn CompromisoCard(
    n: usize,
    fila: Fila,
    catalogo: StoredValue<Vec<Institucion>>,
    lugares: StoredValue<Vec<LugarOpcion>>,
    apuntado: Signal<bool>,
    quitar: Callback<usize>,
) -> impl IntoView {
    let c = fila.c;
    let edit = move |f: fn(&mut Compromiso, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            c.update(|c| f(c, v));
        }
    };
    let current = c.get_untracked();
    // The catalogue's active entries by kind; one no longer active stays shown while chosen.
    let groups: Vec<(&'static str, Vec<(String, String)>)> = catalogo.with_value(|cat| {
        [
            (TipoInstitucion::Publica, "Instituciones públicas"),
            (TipoInstitucion::Privada, "Privadas"),
            (TipoInstitucion::Comunidad, "Comunidad (JAC, CBSC)"),
        ]
        .into_iter()
        .map(|(tipo, label)| {
            let mut of: Vec<(String, String)> =
                cat.iter().filter(|i| i.activa && i.tipo == tipo).map(|i| (i.codigo.clone(), i.nombre.clone())).collect();
            of.sort_by(|a, b| a.1.cmp(&b.1));
            (label, of)
        })
        .filter(|(_, of)| !of.is_empty())
        .collect()
    });
    let retired = catalogo.with_value(|cat| {
        (!current.responsable.is_empty() && !cat.iter().any(|i| i.activa && i.codigo == current.responsable))
            .then(|| (current.responsable.clone(), nombre_de(cat, &current.responsable)))
    });
    let opciones = lugares.with_value(|l| etiquetas_lugares(l));
    let comunidad = move || c.with(|c| catalogo.with_value(|cat| !c.responsable.is_empty() && de_la_comunidad(cat, &c.responsable)));
    let sensible = move || c.with(|c| lugares.with_value(|l| lugar_sensible(c, l)));
    let field_id = |name: &str| format!("c{n}-{name}");
    view! {
        <li class="pacto-card" id=format!("compromiso-{n}") class:con-error=apuntado data-compromiso=current.id.to_string()>
            <div class="pacto-card-head">
                <h3>{format!("Compromiso {n}")}</h3>
                {move || comunidad().then(|| view! { <span class="tag tag-comunidad">"Comunidad"</span> })}
                {current.solucion_id.is_some().then(|| view! { <small class="muted">"Viene de una solución de la comunidad"</small> })}
            </div>
            <div class="pacto-card-fields">
                <label class="field"><span>"Responsable"</span>
                    <select name="responsable" id=field_id("responsable") on:change=edit(|c, v| c.responsable = v)>
                        <option value="" selected=move || c.with(|c| c.responsable.is_empty())>"Elija quién lo cumple"</option>
                        {retired.map(|(code, name)| {
                            let value = code.clone();
                            view! { <option value=code selected=move || c.with(|c| c.responsable == value)>{format!("{name} (inactiva o fuera del catálogo: elija otra)")}</option> }
                        })}
                        {groups.into_iter().map(|(label, of)| view! {
                            <optgroup label=label>
                                {of.into_iter().map(|(code, name)| {
                                    let value = code.clone();
                                    view! { <option value=code selected=move || c.with(|c| c.responsable == value)>{name}</option> }
                                }).collect_view()}
                            </optgroup>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field wide"><span>"Qué se compromete a hacer"</span>
                    <textarea name="que" rows="2" maxlength=MAX_QUE_CHARS.to_string() prop:value=move || c.with(|c| c.que.clone()) on:input=edit(|c, v| c.que = v)></textarea>
                </label>
                <label class="field"><span>"Lugar del diagnóstico"</span>
                    <select name="hotspot" on:change=move |ev| { let v = event_target_value(&ev).parse::<Uuid>().ok(); c.update(|c| c.hotspot_id = v); }>
                        <option value="" selected=move || c.with(|c| c.hotspot_id.is_none())>"Sin lugar"</option>
                        {opciones.into_iter().map(|(h, label)| view! {
                            <option value=h.to_string() selected=move || c.with(|c| c.hotspot_id == Some(h))>{label}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"Lugar en palabras generales"</span>
                    <input type="text" name="lugar" maxlength=MAX_LUGAR_COMPROMISO.to_string() placeholder="Ej.: el parque de la calle 5"
                        prop:value=move || c.with(|c| c.lugar.clone()) on:input=edit(|c, v| c.lugar = v)/>
                </label>
                {move || sensible().then(|| view! {
                    <p class="pacto-sensible wide">
                        <svg class="legend-lock" viewBox="0 0 24 24" aria-hidden="true"><use_ href="#icon-lock"/></svg>
                        "Lugar de un problema sensible: ninguna publicación dirá dónde es."
                    </p>
                })}
                <label class="field"><span>"Fecha límite"</span>
                    <input type="date" name="fecha_limite" prop:value=move || c.with(|c| c.fecha_limite.clone()) on:input=edit(|c, v| c.fecha_limite = v)/>
                </label>
                <label class="field wide"><span>"¿Cómo se sabrá que se cumplió?"</span>
                    <input type="text" name="indicador" maxlength=MAX_INDICADOR_CHARS.to_string() placeholder="Ej.: las luminarias encendidas en la visita de seguimiento"
                        prop:value=move || c.with(|c| c.indicador.clone()) on:input=edit(|c, v| c.indicador = v)/>
                </label>
            </div>
            <button type="button" class="button small danger-outline" on:click=move |_| quitar.run(n - 1)>{format!("Quitar el compromiso {n}")}</button>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compromiso(n: u128) -> Compromiso {
        Compromiso {
            id: Uuid::from_u128(n),
            responsable: "essmar".into(),
            que: "Reponer luminarias".into(),
            hotspot_id: None,
            lugar: String::new(),
            fecha_limite: "2027-03-31".into(),
            indicador: "Luminarias encendidas".into(),
            solucion_id: None,
        }
    }

    #[test]
    fn a_refusal_points_at_its_compromiso() {
        let activa = |code: &str| code == "essmar";
        let ok = PactoContenido { compromisos: vec![compromiso(1), compromiso(2)], ..Default::default() };
        assert_eq!(revisar(&ok, activa, |_| false), Ok(()));
        let mut c = ok.clone();
        c.compromisos[1].indicador = " ".into();
        let (mensaje, i) = revisar(&c, activa, |_| false).unwrap_err();
        assert_eq!(i, Some(1));
        assert!(mensaje.contains("compromiso 2"), "{mensaje}");
        // A text too long does not name its compromiso: the one that fails alone is found.
        let mut c = ok.clone();
        c.compromisos[1].que = "x".repeat(MAX_QUE_CHARS + 1);
        assert_eq!(revisar(&c, activa, |_| false).unwrap_err().1, Some(1));
        let mut c = ok;
        c.compromisos[0].responsable = "policia".into();
        assert_eq!(revisar(&c, activa, |_| false).unwrap_err().1, Some(0));
        let bad_date = PactoContenido { fecha: "ayer".into(), ..Default::default() };
        assert_eq!(revisar(&bad_date, activa, |_| false).unwrap_err().1, None);
    }
}
