//! `/barrio/:id`: the workshop's workspace for a barrio — the stages, the map with what was
//! drawn, the tools and category picker, the problem tree panels and the list view. The
//! boundary is rendered on the server; marks, causes and solutions are read from IndexedDB on
//! the device only, so no participant's data ever ends up in server-rendered (cacheable) HTML.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::hydration::rendered_then_live;
use crate::components::item_list::ItemList;
use crate::components::hint_strip::HintStrip;
use crate::components::mark_sheet::MarkSheet;
use crate::components::palette::{CategoryButton, CategoryPalette};
use crate::components::participant::{Participant, WhoChip, WhoSheet};
use crate::components::pull_sheet::{PullSheet, SheetHeight};
use crate::components::tools::{DraftBar, HistoryButtons, ToolRow};
use crate::components::tree_panel::{CausesPanel, SolutionsPanel, TreeForm};
use crate::data;
use crate::editor::{new_id, now_ms, Draft, Editor, Tool};
use crate::map::BarrioMap;
use crate::model::{Barrio, Category, Mark, MarkKind, Stage};

#[component]
pub fn BarrioMapPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let barrio = Resource::new(id, |id| async move {
        match id {
            Some(id) => data::barrio(id).await,
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Cargando el mapa…"</p> }>
            {move || Suspend::new(async move {
                match barrio.await {
                    Ok(Some(b)) => view! { <BarrioWorkspace barrio=b/> }.into_any(),
                    Ok(None) => view! {
                        <Title text="Barrio no encontrado"/>
                        <section class="page narrow">
                            <h1>"Ese barrio no existe"</h1>
                            <a class="button primary" href="/">"Ver los barrios"</a>
                        </section>
                    }.into_any(),
                    Err(e) => view! {
                        <section class="page narrow">
                            <h1>"No se pudo abrir el mapa"</h1>
                            <p class="error">{e}</p>
                            <a class="button primary" href="/">"Volver"</a>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StageBar(#[prop(into)] stage: Signal<Stage>) -> impl IntoView {
    view! {
        <nav class="stage-bar" aria-label="Etapas del taller" data-testid="stage-bar">
            {Stage::ALL.into_iter().map(|s| {
                let current = move || stage.get() == s;
                view! {
                    <a class="stage" class:current=current href=format!("?etapa={}", s.code()) data-stage=s.code()
                        aria-current=move || if current() { "step" } else { "false" } title=s.label_es()>
                        <span class="stage-number">{s.number()}</span>
                        <span class="stage-name">{s.short_es()}</span>
                    </a>
                }
            }).collect_view()}
        </nav>
    }
}

#[component]
fn BarrioWorkspace(barrio: Barrio) -> impl IntoView {
    let barrio_id = barrio.summary.id;
    let name = barrio.summary.name.clone();
    let query = use_query_map();
    // The stage is in the address, which the offline copy of this page does not follow.
    let stage_code = rendered_then_live(move || query.read().get("etapa"));
    let stage = Memo::new(move |_| Stage::from_code(stage_code.read().as_deref()));
    let editor = Editor::new(barrio_id);
    let participant = Participant::new();
    let alias = Signal::derive(move || participant.current.get());
    let layers = RwSignal::new(None::<std::sync::Arc<crate::model::BaseLayers>>);
    let layers_problem = RwSignal::new(None::<String>);
    let list_view = RwSignal::new(false);
    let cause_form = TreeForm::new();
    let solution_form = TreeForm::new();
    // On a phone the categories are a sheet over the map, and stages 3 and 5 their panels.
    let palette_open = RwSignal::new(false);
    let tree_sheet = RwSignal::new(SheetHeight::Peek);
    let mark_count = Memo::new(move |_| editor.drawing.with(|d| d.marks.iter().filter(|m| !m.deleted).count()));

    // The base layers come from the device's copy of the pack, or are downloaded (and kept)
    // when the barrio is opened online; a newer version on the server replaces the copy.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            use crate::client::packs;
            let local = packs::on_device(barrio_id).await.ok().flatten();
            let local_version = local.as_ref().map(|p| p.version);
            if let Some(pack) = local {
                layers.set(Some(std::sync::Arc::new(pack.layers)));
            }
            if !crate::client::device::is_online() {
                if local_version.is_none() {
                    layers_problem.set(Some("Sin conexión: las calles de este barrio no están en el dispositivo.".into()));
                }
                return;
            }
            let newer = match local_version {
                None => true,
                Some(v) => packs::server_packs()
                    .await
                    .ok()
                    .and_then(|infos| infos.into_iter().find(|i| i.barrio_id == barrio_id))
                    .is_some_and(|i| i.version > v),
            };
            if newer {
                match packs::download(barrio_id).await {
                    Ok((pack, _)) => {
                        layers_problem.set(None);
                        layers.set(Some(std::sync::Arc::new(pack.layers)));
                    }
                    Err(e) if local_version.is_none() => layers_problem.set(Some(format!("No se pudieron traer las calles: {e}"))),
                    Err(_) => {}
                }
            }
        });
    });

    // "¿Quién dibuja?" comes up over the map alone: a mark's sheet goes away (keeping its
    // answers), and so does the palette.
    Effect::new(move |_| {
        if participant.open.get() {
            editor.selected.set(None);
            palette_open.set(false);
        }
    });

    // The lists name where each mark is from the layers' street names.
    Effect::new(move |_| {
        if let Some(l) = layers.get() {
            editor.places.set(std::sync::Arc::new(crate::model::places::PlaceNames::new(&l)));
        }
    });

    // Leaving a stage puts away what belonged to it.
    Effect::new(move |_| {
        stage.track();
        editor.draft.set(None);
        editor.selected.set(None);
        editor.highlighted_cause.set(None);
        palette_open.set(false);
    });

    let on_tap = Callback::new(move |(lon, lat): (f64, f64)| {
        if !stage.get_untracked().draws() {
            editor.message.set(Some((false, "En esta etapa se trabaja con la lista de abajo; toque un problema para elegirlo.".into())));
            return;
        }
        if editor.draft.with_untracked(|d| d.as_ref().is_some_and(|d| d.editing.is_some())) {
            return;
        }
        let Some(code) = editor.category.get_untracked() else {
            editor.message.set(Some((false, "Primero elija una categoría.".into())));
            palette_open.set(true);
            return;
        };
        // A tap elsewhere puts the open sheet away (keeping what was answered in it).
        editor.selected.set(None);
        match editor.tool.get_untracked() {
            Tool::Point => {
                let mark = Mark::new_point(new_id(), barrio_id, code, lon, lat, now_ms()).by(&participant.current.get_untracked());
                let label = Category::by_code(code).map(|c| c.label_es).unwrap_or("Marca");
                let who = participant.current.get_untracked();
                let msg = if who.is_empty() {
                    format!("«{label}» guardada en este dispositivo.")
                } else {
                    format!("«{label}» de {who}, guardada en este dispositivo.")
                };
                editor.commit_new(mark, msg);
            }
            Tool::Line | Tool::Zone => editor.draft.update(|d| d.get_or_insert_with(Draft::default).vertices.push((lon, lat))),
        }
    });
    let on_select = Callback::new(move |id: uuid::Uuid| match stage.get_untracked() {
        Stage::Tree => {
            if editor.drawing.with_untracked(|d| d.mark(&id).is_some_and(|m| m.kind() == Some(MarkKind::Problem))) {
                cause_form.toggle(id);
                // The form it was ticked in comes up, with the map still in sight above it.
                if tree_sheet.get_untracked() == SheetHeight::Peek {
                    tree_sheet.set(SheetHeight::Half);
                }
            } else {
                editor.message.set(Some((false, "Las causas se unen a problemas (delitos, convivencia, factores de riesgo).".into())));
            }
        }
        _ => {
            editor.fresh.set(None);
            editor.selected.set(Some(id))
        }
    });

    // What to do next, in a line: it follows the tool and the category in hand.
    let hint = Signal::derive(move || {
        let s = stage.get();
        if !s.draws() {
            return s.hint_es().to_string();
        }
        if let Some(d) = editor.draft.get() {
            return if d.editing.is_some() {
                "Arrastre los puntos amarillos a su nuevo lugar y toque «Guardar forma».".to_string()
            } else {
                "Toque el mapa punto por punto; «Terminar» cuando acabe.".to_string()
            };
        }
        let label = editor.category.get().and_then(Category::by_code).map(|c| c.label_es);
        match (label, editor.tool.get()) {
            // The stage's own words; the category button (or, beside the map, the palette)
            // is in plain sight below them.
            (None, _) => s.hint_es().to_string(),
            (Some(l), Tool::Point) => format!("«{l}»: toque el mapa donde pasa."),
            (Some(l), Tool::Line) => format!("Ruta de «{l}»: toque el mapa punto por punto."),
            (Some(l), Tool::Zone) => format!("Zona de «{l}»: toque sus esquinas en el mapa."),
        }
    });
    let tree_title = Signal::derive(move || match stage.get() {
        Stage::Solutions => {
            let n = editor.drawing.with(|d| d.solutions.iter().filter(|s| !s.deleted).count());
            crate::model::words::count_es(n, "solución", "soluciones")
        }
        _ => {
            let n = editor.drawing.with(|d| d.causes.iter().filter(|c| !c.deleted).count());
            let picked = cause_form.picked.with(Vec::len);
            let causes = crate::model::words::count_es(n, "causa", "causas");
            if picked > 0 {
                format!("{causes} · {} {}", crate::model::words::count_es(picked, "problema", "problemas"), crate::model::words::plural_es(picked, "elegido", "elegidos"))
            } else {
                causes
            }
        }
    });
    let sheet_mark = Memo::new(move |_| editor.selected.get().and_then(|id| editor.drawing.with(|d| d.mark(&id).filter(|m| !m.deleted).cloned())));

    view! {
        <Title text=name.clone()/>
        <section class="workspace" class:list-view=move || list_view.get() data-current-stage=move || stage.get().code()>
            <div class="workspace-head">
                <a class="back" href="/" aria-label="Volver a la lista de barrios">
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M15 5l-7 7 7 7" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"/>
                    </svg>
                    <span>"Barrios"</span>
                </a>
                <h1 class="barrio-title">{name}</h1>
                <WhoChip participant/>
                <button type="button" class="view-toggle" data-testid="view-toggle" aria-pressed=move || list_view.get().to_string()
                    title=move || if list_view.get() { "Volver al mapa" } else { "Ver la lista de lo marcado" }
                    on:click=move |_| list_view.update(|l| *l = !*l)>
                    {move || if list_view.get() {
                        view! { <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 6l6-2 6 2 6-2v14l-6 2-6-2-6 2zM9 4v14M15 6v14"/></svg><span>"Mapa"</span> }.into_any()
                    } else {
                        view! { <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01"/></svg><span>"Lista"</span> }.into_any()
                    }}
                    <span class="mark-count" data-testid="mark-count">
                        // The word goes on the narrowest phones; the number stays.
                        {move || {
                            let n = mark_count.get();
                            view! { <span class="n">{n.to_string()}</span><span class="w">{format!(" {}", crate::model::words::plural_es(n, "marca", "marcas"))}</span> }
                        }}
                    </span>
                </button>
            </div>
            <StageBar stage/>
            <div class="map-wrap" class:hidden=move || list_view.get()>
                <BarrioMap barrio on_tap on_select layers editor stage/>
                <HintStrip message=editor.message hint/>
                {move || layers_problem.get().map(|p| view! { <p class="map-problem" data-testid="attribution"><span class="warn-text">{p}</span></p> })}
                <HistoryButtons editor/>
                <WhoSheet participant/>
                // The credits live on their own page, one tap away in the map's corner as map
                // apps put theirs: on a phone every line under the map is map taken away.
                <a class="about-link map-credits" href=format!("/acerca-de-los-datos?barrio={barrio_id}") data-testid="about-data-link">"Acerca de los datos"</a>
                {move || sheet_mark.get().map(|mark| view! {
                    <MarkSheet mark editor alias/>
                })}
            </div>
            <Show when=move || list_view.get()>
                <div class="list-wrap">
                    <ItemList editor show_map=Callback::new(move |_| list_view.set(false))/>
                </div>
            </Show>
            // The bottom edge, in reach of the thumb: the category in hand and the tools, or
            // the shape being drawn; in stages 3 and 5, the handle of their sheet. Its height
            // never changes, so the map never moves under a finger.
            <div class="tray">
                {move || match stage.get() {
                    Stage::Tree => view! {
                        <PullSheet height=tree_sheet title=tree_title testid="tree-sheet">
                            <CausesPanel editor form=cause_form alias/>
                        </PullSheet>
                    }.into_any(),
                    Stage::Solutions => view! {
                        <PullSheet height=tree_sheet title=tree_title testid="tree-sheet">
                            <SolutionsPanel editor form=solution_form alias/>
                        </PullSheet>
                    }.into_any(),
                    _ => view! {
                        <div class="dock" data-testid="dock">
                            <Show when=move || editor.draft.with(Option::is_some) fallback=move || view! {
                                <CategoryButton selected=editor.category open=palette_open/>
                                <ToolRow editor/>
                            }>
                                <DraftBar editor alias/>
                            </Show>
                        </div>
                        <CategoryPalette selected=editor.category stage open=palette_open/>
                    }.into_any(),
                }}
            </div>
        </section>
    }
}
