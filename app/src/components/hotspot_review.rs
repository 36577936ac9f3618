//! The staff's list of a diagnóstico's hotspots: open one to see its marks, reject or restore a
//! mark, tick hotspots to join them, tick marks to separate them, and keep notes — every action
//! recorded with who and when, and applied from the next version on.

use std::collections::{BTreeSet, HashMap};

use leptos::prelude::*;
use uuid::Uuid;

use crate::components::icons::{CategoryIcon, LockIcon};
use crate::model::adjustment::{joinable, shares_any, Adjustment, AdjustmentAction, HotspotNote};
use crate::model::diagnostico::{GeometryKind, Hotspot};
use crate::model::media::{MediaDecision, MediaItem, MediaKind};
use crate::model::review::{MarkReview, ReviewAction};
use crate::model::words::{count_es, plural_es};
use crate::model::workshop::when_es;
use crate::model::{Category, Mark, TimeOfDay};

/// What a staff member asks for from the list; the page sends it and updates the state.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffAction {
    Review {
        mark: Uuid,
        action: ReviewAction,
        reason: String,
    },
    /// Join the hotspots holding these marks.
    Join {
        marks: Vec<Uuid>,
        reason: String,
    },
    /// Take these marks out of their hotspot.
    Separate {
        marks: Vec<Uuid>,
        reason: String,
    },
    Cancel {
        seq: i64,
    },
    Note {
        hotspot: Uuid,
        text: String,
    },
    /// Whether a photo goes in the report's annex, and whether it may be published.
    Media {
        id: Uuid,
        decision: MediaDecision,
    },
}

/// The review state the list reads, shared through context by the diagnóstico page.
#[derive(Clone, Copy)]
pub struct ReviewState {
    /// The version's hotspots as generated (a join needs all of a hotspot's marks, not only
    /// those a filter shows).
    pub hotspots: Memo<Vec<Hotspot>>,
    pub marks: Memo<HashMap<Uuid, Mark>>,
    pub reviews: RwSignal<Vec<MarkReview>>,
    pub adjustments: RwSignal<Vec<Adjustment>>,
    pub notes: RwSignal<Vec<HotspotNote>>,
    /// The hotspot open in the list (and highlighted on the map).
    pub selected: RwSignal<Option<Uuid>>,
    /// Hotspots ticked to be joined.
    pub chosen: RwSignal<BTreeSet<Uuid>>,
    pub act: Callback<StaffAction>,
    /// The barrio's photos and voice notes (each on a mark).
    pub media: RwSignal<Vec<MediaItem>>,
}

pub fn kind_es(kind: GeometryKind) -> &'static str {
    match kind {
        GeometryKind::Point => "Punto",
        GeometryKind::Route => "Ruta",
        GeometryKind::Zone => "Zona",
    }
}

/// "Mañana 1 · Noche 2", or nothing when no mark said.
pub fn times_es(h: &Hotspot) -> String {
    TimeOfDay::ALL
        .iter()
        .filter(|t| h.times.get(**t) > 0)
        .map(|t| format!("{} {}", t.label_es(), h.times.get(*t)))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn category_of(code: &str) -> (&'static str, &'static str, &'static str) {
    Category::by_code(code).map(|c| (c.code, c.color, c.label_es)).unwrap_or(("", "#555", "Otra"))
}

/// The list of hotspots given (already filtered), with the bar that joins ticked ones.
#[component]
pub fn HotspotList(hotspots: Signal<Vec<Hotspot>>) -> impl IntoView {
    let state = expect_context::<ReviewState>();
    view! {
        <JoinBar/>
        <ol class="hotspots" data-testid="hotspots">
            {move || hotspots.get().into_iter().map(|h| view! { <HotspotItem hotspot=h/> }).collect_view()}
        </ol>
        <Show when=move || hotspots.with(Vec::is_empty) && !state.hotspots.with(Vec::is_empty)>
            <p class="barrio-meta">"Ningún punto crítico tiene marcas que pasen los filtros."</p>
        </Show>
    }
}

/// Shown while hotspots are ticked: joins them when they can be joined.
#[component]
fn JoinBar() -> impl IntoView {
    let state = expect_context::<ReviewState>();
    let reason = RwSignal::new(String::new());
    let picked = move || {
        let chosen = state.chosen.get();
        state.hotspots.with(|all| all.iter().filter(|h| chosen.contains(&h.id)).cloned().collect::<Vec<_>>())
    };
    let can_join = move || {
        let p = picked();
        p.len() >= 2 && joinable(p.iter().map(|h| (h.category.as_str(), h.geometry_kind)))
    };
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let marks: Vec<Uuid> = picked().into_iter().flat_map(|h| h.source_ids).collect();
        state.act.run(StaffAction::Join { marks, reason: reason.get_untracked() });
        reason.set(String::new());
    };
    view! {
        <Show when=move || !state.chosen.with(BTreeSet::is_empty)>
            <form class="join-bar" on:submit=join data-testid="join-bar">
                <strong>{move || {
                    let n = state.chosen.with(BTreeSet::len) as u32;
                    format!("{} para unir", count_es(n, "punto crítico seleccionado", "puntos críticos seleccionados"))
                }}</strong>
                {move || {
                    let p = picked();
                    if p.len() < 2 {
                        view! { <span class="barrio-meta">"Seleccione otro punto crítico de la misma categoría."</span> }.into_any()
                    } else if !can_join() {
                        view! { <span class="warn-text">"Solo se unen puntos críticos de la misma categoría y del mismo tipo."</span> }.into_any()
                    } else {
                        ().into_any()
                    }
                }}
                <input name="join-reason" placeholder="Motivo (p. ej. es la misma esquina)" prop:value=reason
                    on:input=move |ev| reason.set(event_target_value(&ev))/>
                <button type="submit" class="button small primary" disabled=move || !can_join()>"Unir en un punto crítico"</button>
                <button type="button" class="button small quiet" on:click=move |_| state.chosen.set(BTreeSet::new())>"Quitar selección"</button>
            </form>
        </Show>
    }
}

#[component]
fn HotspotItem(hotspot: Hotspot) -> impl IntoView {
    let state = expect_context::<ReviewState>();
    let h = hotspot;
    let id = h.id;
    let (code, color, label) = category_of(&h.category);
    let open = move || state.selected.get() == Some(id);
    let chosen = move || state.chosen.with(|c| c.contains(&id));
    let toggle_open = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        state.selected.update(|s| *s = if *s == Some(id) { None } else { Some(id) });
    };
    let toggle_chosen = move |_| {
        state.chosen.update(|c| {
            if !c.remove(&id) {
                c.insert(id);
            }
        })
    };
    let corrections = corrections_es(&h, state);
    let note_count = move || notes_on(id, state).len();
    let picked = RwSignal::new(BTreeSet::<Uuid>::new());
    let separable = h.count >= 2;
    let sources = h.source_ids.clone();
    let times = times_es(&h);
    view! {
        <li class="hotspot" id=format!("hotspot-{id}") class:selected=open class:chosen=chosen data-hotspot-id=id.to_string() data-category=h.category.clone()
            data-count=h.count data-participants=h.participants data-workshops=h.workshops>
            <label class="join-pick" title="Seleccionar para unir con otro">
                <input type="checkbox" name="join" prop:checked=chosen on:change=toggle_chosen/>
                <span>"Unir"</span>
            </label>
            <details prop:open=open>
                <summary on:click=toggle_open>
                    <CategoryIcon code=code color=color/>
                    <span class="hotspot-title">
                        <strong>{label}</strong>
                        {h.sensitive.then(|| view! { <LockIcon title="Sensible: no publicar el lugar exacto"/> })}
                        <span class="barrio-meta">{format!(" · {}", kind_es(h.geometry_kind))}</span>
                        {corrections.map(|text| view! { <span class="tag manual">{text}</span> })}
                        {move || {
                            let n = note_count() as u32;
                            (n > 0).then(|| view! { <span class="tag note-tag">{count_es(n, "nota", "notas")}</span> })
                        }}
                    </span>
                    <span class="hotspot-counts">
                        <span><strong>{h.count}</strong>{plural_es(h.count, " marca", " marcas")}</span>
                        <span><strong>{h.participants}</strong>{plural_es(h.participants, " persona", " personas")}</span>
                        <span><strong>{h.workshops}</strong>{plural_es(h.workshops, " taller", " talleres")}</span>
                    </span>
                </summary>
                <p class="barrio-meta">
                    {format!("Reportado entre {} y {}", when_es(h.first_reported_ms), when_es(h.last_reported_ms))}
                    {(!times.is_empty()).then(|| format!(" · {times}"))}
                </p>
                <HotspotGallery sources=sources.clone()/>
                <ul class="sources">
                    {sources.into_iter().map(|mark| view! { <SourceMark id=mark picked=separable.then_some(picked)/> }).collect_view()}
                </ul>
                {separable.then(|| view! { <SeparateBar picked=picked/> })}
                <NoteBox hotspot=id/>
            </details>
        </li>
    }
}

/// The photos and voice notes on a hotspot's marks: thumbnails that open the photo whole,
/// players for the notes, and the staff's decisions on each photo — into the report's annex,
/// and published only after a look for faces, plates and house numbers.
#[component]
fn HotspotGallery(sources: Vec<Uuid>) -> impl IntoView {
    let state = expect_context::<ReviewState>();
    let items = move || state.media.with(|all| all.iter().filter(|m| sources.contains(&m.record.id)).cloned().collect::<Vec<_>>());
    let open = RwSignal::new(None::<MediaItem>);
    // The photo whose publication waits for the reviewer's look.
    let checking = RwSignal::new(None::<Uuid>);
    let decide = move |id: Uuid, in_report: bool, publish: bool| {
        checking.set(None);
        state.act.run(StaffAction::Media { id, decision: MediaDecision { in_report, publish } });
    };
    view! {
        {move || {
            let list = items();
            (!list.is_empty()).then(|| view! {
                <div class="hotspot-gallery" data-testid="hotspot-gallery">
                    <h4>{format!("Archivo fotográfico y notas de voz ({})", list.len())}</h4>
                    <ul class="media-list">
                        {list.into_iter().map(|m| {
                            let who = if m.alias.is_empty() { String::new() } else { format!(" · {}", m.alias) };
                            let facts = format!("{}{who}", when_es(m.captured_at_ms));
                            match m.kind {
                                MediaKind::Photo => {
                                    let thumb = m.thumb_url.clone().unwrap_or_else(|| m.url.clone());
                                    let id = m.id;
                                    let (in_report, published, sensitive) = (m.in_report, m.published, m.sensitive);
                                    view! {
                                        <li class="media-item" data-kind="photo" data-testid="gallery-photo" class:checking=move || checking.get() == Some(id)
                                            data-in-report=in_report.to_string() data-published=published.to_string()>
                                            <button type="button" class="media-open" aria-label="Ver la foto completa" on:click=move |_| open.set(Some(m.clone()))>
                                                <img src=thumb alt="Foto de la marca" class="media-thumb" loading="lazy"/>
                                            </button>
                                            <span class="media-facts">{facts}</span>
                                            <div class="media-decisions">
                                                <button type="button" class="button small toggle" aria-pressed=in_report.to_string() data-testid="media-in-report"
                                                    on:click=move |_| decide(id, !in_report, published)>
                                                    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 3h9l4 4v14H6zM9 12h7M9 16h7" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>
                                                    <span>{if in_report { "En el informe" } else { "Al informe" }}</span>
                                                </button>
                                                {if sensitive {
                                                    view! { <span class="media-rule" data-testid="media-sensitive">"Marca delicada: no se publica"</span> }.into_any()
                                                } else if published {
                                                    view! {
                                                        <button type="button" class="button small toggle" aria-pressed="true" data-testid="media-unpublish"
                                                            on:click=move |_| decide(id, in_report, false)>
                                                            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" fill="none" stroke="currentColor" stroke-width="2"/></svg>
                                                            <span>"Publicada · retirar"</span>
                                                        </button>
                                                    }.into_any()
                                                } else {
                                                    view! {
                                                        <button type="button" class="button small" data-testid="media-publish" on:click=move |_| checking.set(Some(id))>
                                                            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" fill="none" stroke="currentColor" stroke-width="2"/></svg>
                                                            <span>"Publicar…"</span>
                                                        </button>
                                                    }.into_any()
                                                }}
                                            </div>
                                            {move || (checking.get() == Some(id)).then(|| {
                                                view! {
                                                    <div class="publish-check" role="alertdialog" aria-label="Revise la foto antes de publicarla" data-testid="publish-check">
                                                        <p><strong>"Antes de publicar, mire la foto completa:"</strong></p>
                                                        <ul>
                                                            <li>"¿Se ve la cara de alguien?"</li>
                                                            <li>"¿Se lee la placa de un vehículo?"</li>
                                                            <li>"¿Se ve el número de una casa o algo que diga de quién es?"</li>
                                                        </ul>
                                                        <p>"Si ve alguna de estas cosas, no la publique."</p>
                                                        <div class="publish-check-actions">
                                                            <button type="button" class="button primary small" data-testid="publish-confirm"
                                                                on:click=move |_| decide(id, in_report, true)>"La revisé: publicar"</button>
                                                            <button type="button" class="button quiet small" data-testid="publish-cancel"
                                                                on:click=move |_| checking.set(None)>"Cancelar"</button>
                                                        </div>
                                                    </div>
                                                }
                                            })}
                                        </li>
                                    }.into_any()
                                }
                                MediaKind::Voice => view! {
                                    <li class="media-item" data-kind="voice" data-testid="gallery-voice">
                                        <audio controls preload="none" src=m.url.clone() class="media-audio"></audio>
                                        <span class="media-facts">{format!("Nota de voz · {facts}")}</span>
                                        <span class="media-rule">"Las notas de voz no se publican"</span>
                                    </li>
                                }.into_any(),
                            }
                        }).collect_view()}
                    </ul>
                </div>
            })
        }}
        {move || open.get().map(|m| view! {
            <div class="media-viewer" role="dialog" aria-label="Foto completa" data-testid="media-viewer" on:click=move |_| open.set(None)>
                <img src=m.url.clone() alt="Foto de la marca"/>
                <button type="button" class="button primary" data-testid="media-viewer-close">"Cerrar"</button>
            </div>
        })}
    }
}

/// The notes on hotspot `id` of this version: written on it, or on an earlier hotspot that
/// shared one of its marks (all of them, not only those a filter shows).
fn notes_on(id: Uuid, state: ReviewState) -> Vec<HotspotNote> {
    let sources = state.hotspots.with(|all| all.iter().find(|h| h.id == id).map(|h| h.source_ids.clone())).unwrap_or_default();
    state.notes.with(|all| all.iter().filter(|n| n.hotspot_id == id || shares_any(&n.mark_ids, &sources)).cloned().collect())
}

/// "Unido a mano" / "Separado a mano" when staff corrections shaped this hotspot.
fn corrections_es(h: &Hotspot, state: ReviewState) -> Option<String> {
    if h.adjustments.is_empty() {
        return None;
    }
    let actions: BTreeSet<AdjustmentAction> =
        state.adjustments.with_untracked(|all| all.iter().filter(|a| h.adjustments.contains(&a.seq)).map(|a| a.action).collect());
    let words: Vec<&str> = actions
        .iter()
        .map(|a| match a {
            AdjustmentAction::Join => "Unido a mano",
            AdjustmentAction::Separate => "Separado a mano",
        })
        .collect();
    Some(if words.is_empty() { "Corregido a mano".to_string() } else { words.join(" · ") })
}

/// One mark behind a hotspot, with the staff's decision on it, and a box to tick it for
/// separating when the hotspot has more than one.
#[component]
fn SourceMark(id: Uuid, picked: Option<RwSignal<BTreeSet<Uuid>>>) -> impl IntoView {
    let state = expect_context::<ReviewState>();
    let mark = move || state.marks.with(|all| all.get(&id).cloned());
    let decision = move || state.reviews.with(|list| list.iter().rev().find(|r| r.mark_id == id).cloned());
    let rejected = move || decision().is_some_and(|r| r.action == ReviewAction::Reject);
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    view! {
        <li class="source" data-mark-id=id.to_string() data-rejected=move || if rejected() { "true" } else { "false" }>
            {picked.map(|picked| view! {
                <label class="join-pick small" title="Seleccionar para separar">
                    <input type="checkbox" name="separate" prop:checked=move || picked.with(|p| p.contains(&id))
                        on:change=move |_| picked.update(|p| if !p.remove(&id) { p.insert(id); })/>
                    <span>"Separar"</span>
                </label>
            })}
            <div class="source-text">
                {move || mark().map(|m| {
                    let who = if m.alias.is_empty() { "sin alias".to_string() } else { m.alias.clone() };
                    let said = if m.description.is_empty() { String::new() } else { format!(" — «{}»", m.description) };
                    format!("{} · {}{}", when_es(m.created_at_ms), who, said)
                })}
                {move || decision().filter(|r| r.action == ReviewAction::Reject).map(|r| view! {
                    <span class="warn-text">{format!(" Rechazada por {}: {} (sale de la próxima versión)", r.reviewer, r.reason)}</span>
                })}
            </div>
            {move || if rejected() {
                view! {
                    <button type="button" class="button small" on:click=move |_| state.act.run(StaffAction::Review { mark: id, action: ReviewAction::Restore, reason: String::new() })>"Restablecer"</button>
                }.into_any()
            } else if rejecting.get() {
                view! {
                    <form class="reject-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        state.act.run(StaffAction::Review { mark: id, action: ReviewAction::Reject, reason: reason.get_untracked() });
                        rejecting.set(false);
                    }>
                        <input name="reason" placeholder="Motivo (p. ej. marca repetida)" required prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                        <button type="submit" class="button small danger">"Confirmar rechazo"</button>
                    </form>
                }.into_any()
            } else {
                view! { <button type="button" class="button small quiet" on:click=move |_| rejecting.set(true)>"Rechazar…"</button> }.into_any()
            }}
        </li>
    }
}

/// Separates the ticked marks of a hotspot into one of their own.
#[component]
fn SeparateBar(picked: RwSignal<BTreeSet<Uuid>>) -> impl IntoView {
    let state = expect_context::<ReviewState>();
    let reason = RwSignal::new(String::new());
    let separate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let marks: Vec<Uuid> = picked.get_untracked().into_iter().collect();
        state.act.run(StaffAction::Separate { marks, reason: reason.get_untracked() });
        picked.set(BTreeSet::new());
        reason.set(String::new());
    };
    view! {
        <Show when=move || !picked.with(BTreeSet::is_empty)>
            <form class="separate-bar" on:submit=separate data-testid="separate-bar">
                <input name="separate-reason" placeholder="Motivo (p. ej. son dos lugares distintos)" prop:value=reason
                    on:input=move |ev| reason.set(event_target_value(&ev))/>
                <button type="submit" class="button small primary">
                    {move || {
                        let n = picked.with(BTreeSet::len) as u32;
                        format!("Separar {}", count_es(n, "marca", "marcas"))
                    }}
                </button>
            </form>
        </Show>
    }
}

/// The staff's notes on a hotspot (and on earlier hotspots that shared its marks), and a box
/// to add one.
#[component]
fn NoteBox(hotspot: Uuid) -> impl IntoView {
    let state = expect_context::<ReviewState>();
    let text = RwSignal::new(String::new());
    let notes = move || notes_on(hotspot, state);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.act.run(StaffAction::Note { hotspot, text: text.get_untracked() });
        text.set(String::new());
    };
    view! {
        <div class="notes">
            <h4>"Notas del equipo"</h4>
            <ul class="note-list">
                {move || notes().into_iter().map(|n| view! {
                    <li class="note">
                        <span class="note-text">{n.text.clone()}</span>
                        <span class="barrio-meta">{format!("{} · {} · versión {}", n.author, when_es(n.at_ms), n.diagnostico)}</span>
                    </li>
                }).collect_view()}
            </ul>
            <form class="note-form" on:submit=add>
                <textarea name="note" rows="2" placeholder="Agregar una nota (p. ej. verificado en el recorrido)" prop:value=text
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <button type="submit" class="button small" disabled=move || text.with(|t| t.trim().is_empty())>"Guardar nota"</button>
            </form>
        </div>
    }
}
