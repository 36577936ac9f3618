//! A mark's sheet: what it is and who drew it, its attributes as big one-thumb choices, its
//! causes and solutions, and the actions move, delete and save. Another device's mark is
//! shown read-only, with "Yo también lo he visto" instead.

use leptos::prelude::*;

use super::icons::CategoryIcon;
use super::media_capture::MediaAttachments;
use super::tools::start_reshape;
use crate::editor::{new_id, now_ms, Editor};
use crate::model::mark::MAX_DESCRIPTION_CHARS;
use crate::model::media::{RecordKind, RecordRef};
use crate::model::{Affected, Attributes, Category, Days, Frequency, Mark, MarkKind, Record, Since, TimeOfDay};

/// A row of toggle chips for a list of choices (several may be on).
#[component]
fn MultiChips<T: Copy + Ord + Send + Sync + 'static>(
    legend: &'static str,
    name: &'static str,
    options: &'static [T],
    label: fn(T) -> &'static str,
    code: fn(T) -> &'static str,
    get: fn(&Attributes) -> &Vec<T>,
    get_mut: fn(&mut Attributes) -> &mut Vec<T>,
    attributes: RwSignal<Attributes>,
) -> impl IntoView {
    view! {
        <fieldset class="chips" data-field=name>
            <legend>{legend}</legend>
            {options.iter().map(|o| {
                let o = *o;
                let on = move || attributes.with(|a| get(a).contains(&o));
                view! {
                    <button type="button" class="chip-choice" class:on=on aria-pressed=move || on().to_string() data-choice=code(o)
                        on:click=move |_| attributes.update(|a| Attributes::toggle(get_mut(a), o))>
                        {label(o)}
                    </button>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A row of chips where at most one is on; tapping the one that is on clears it.
#[component]
fn OneChip<T: Copy + PartialEq + Send + Sync + 'static>(
    legend: &'static str,
    name: &'static str,
    options: &'static [T],
    label: fn(T) -> &'static str,
    code: fn(T) -> &'static str,
    get: fn(&Attributes) -> Option<T>,
    set: fn(&mut Attributes, Option<T>),
    attributes: RwSignal<Attributes>,
) -> impl IntoView {
    view! {
        <fieldset class="chips" data-field=name>
            <legend>{legend}</legend>
            {options.iter().map(|o| {
                let o = *o;
                let on = move || attributes.with(|a| get(a) == Some(o));
                view! {
                    <button type="button" class="chip-choice" class:on=on aria-pressed=move || on().to_string() data-choice=code(o)
                        on:click=move |_| attributes.update(|a| { let next = if get(a) == Some(o) { None } else { Some(o) }; set(a, next) })>
                        {label(o)}
                    </button>
                }
            }).collect_view()}
        </fieldset>
    }
}

fn shape_word(mark: &Mark) -> &'static str {
    match mark.geometry.value {
        geojson::Value::LineString(_) => "Ruta",
        geojson::Value::Polygon(_) => "Zona",
        _ => "Punto",
    }
}

/// The sheet of `mark`: editable when this device made it, read-only otherwise. `alias` is
/// who is drawing now (the author of a +1).
#[component]
pub fn MarkSheet(mark: Mark, editor: Editor, #[prop(into)] alias: Signal<String>) -> impl IntoView {
    if editor.is_mine(&mark) {
        view! { <OwnMarkSheet mark editor/> }.into_any()
    } else {
        view! { <OthersMarkSheet mark editor alias/> }.into_any()
    }
}

/// The sheet's head: the category's icon and name, the shape and whose it is, and "Cerrar".
/// `unknown_author` is what to say when the mark has no alias.
#[component]
fn SheetHead(
    mark: Mark,
    unknown_author: &'static str,
    on_close: Callback<()>,
    /// Just made here: the head says it is kept.
    #[prop(optional, into)]
    fresh: Signal<bool>,
) -> impl IntoView {
    let category = Category::by_code(&mark.category);
    let label = category.map(|c| c.label_es).unwrap_or("Marca");
    let author = if mark.alias.is_empty() { unknown_author.to_string() } else { format!(" · de {}", mark.alias) };
    view! {
        <header class="sheet-head">
            <CategoryIcon code=category.map(|c| c.code).unwrap_or("") color=category.map(|c| c.color).unwrap_or("#555")/>
            <div class="sheet-title">
                <h2>{label}</h2>
                <p class="muted">
                    {shape_word(&mark)}
                    {author}
                    {category.filter(|c| c.sensitive).map(|_| " · delicada: no se publica en su lugar exacto")}
                </p>
                <Show when=move || fresh.get()>
                    <p class="fresh-note" data-testid="fresh-note">
                        <svg viewBox="0 0 24 24" aria-hidden="true" class="icon"><path d="M5 12l5 5 9-10" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>
                        "Guardada en este dispositivo"
                    </p>
                </Show>
            </div>
            // The cross every sheet has; "Listo" below says the same in words.
            <button type="button" class="button ghost close icon-only" aria-label="Cerrar" title="Cerrar" data-testid="close-sheet" on:click=move |_| on_close.run(())>
                <svg viewBox="0 0 24 24" aria-hidden="true" class="icon"><path d="M6 6l12 12M18 6L6 18" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round"/></svg>
            </button>
        </header>
    }
}

/// A cause as the sheet lists it: its kind, its words, and its solutions (institution, words).
type CauseLine = (&'static str, String, Vec<(&'static str, String)>);

/// Causes of a problem and the solutions of each, for the sheet's "Causas y soluciones".
fn causes_of(editor: Editor, id: uuid::Uuid) -> Vec<CauseLine> {
    editor.drawing.with(|d| {
        d.causes_of(&id)
            .into_iter()
            .map(|c| (c.label_es(), c.text.clone(), d.solutions_of(&c.id).into_iter().map(|s| (s.institution_es(), s.text.clone())).collect()))
            .collect()
    })
}

#[component]
fn CausesList(editor: Editor, id: uuid::Uuid) -> impl IntoView {
    view! {
        <div class="sheet-links" data-testid="mark-causes">
            <h3>"Causas y soluciones"</h3>
            {move || {
                let list = causes_of(editor, id);
                if list.is_empty() {
                    view! { <p class="muted">"Todavía sin causas. Se agregan en la etapa 3, «Causas»."</p> }.into_any()
                } else {
                    view! {
                        <ul class="tree-mini">
                            {list.into_iter().map(|(cause, text, solutions)| view! {
                                <li>
                                    <strong>{cause}</strong>
                                    {(!text.is_empty()).then(|| format!(": {text}"))}
                                    <ul>{solutions.into_iter().map(|(inst, t)| view! { <li>{t}" — "<em>{inst}</em></li> }).collect_view()}</ul>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </div>
    }
}

/// Another device's mark: what it says, and a +1 of one's own. Changing it is for whoever
/// made it (the server would refuse it), so nothing here edits it.
#[component]
fn OthersMarkSheet(mark: Mark, editor: Editor, alias: Signal<String>) -> impl IntoView {
    let category = Category::by_code(&mark.category);
    let label = category.map(|c| c.label_es).unwrap_or("Marca");
    let is_problem = mark.kind() == Some(MarkKind::Problem);
    let a = &mark.attributes;
    let when = [a.summary_es(), a.affected.iter().map(|x| x.label_es()).collect::<Vec<_>>().join(" · ")]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    // Someone who already confirmed this mark (or made it on another visit) is told so.
    let id = mark.id;
    let my_plus_one = move || {
        let who = alias.get();
        editor.drawing.with(|d| d.marks.iter().find(|m| !m.deleted && m.attributes.confirms == Some(id) && editor.is_mine(m) && m.alias == who).map(|m| m.id))
    };
    let confirmed_by_me = move || my_plus_one().is_some();
    let original = mark.clone();
    let plus_one = move |_| {
        let who = alias.get_untracked();
        let mine = Mark::confirming(&original, new_id(), now_ms()).by(&who);
        let msg = if who.is_empty() {
            format!("Usted también lo ha visto: «{label}» guardada en este dispositivo.")
        } else {
            format!("{who} también lo ha visto: «{label}» guardada en este dispositivo.")
        };
        // The +1's own sheet opens once it is saved, for its own answers.
        editor.commit_new(mine, msg);
    };
    view! {
        <section class="sheet mark-sheet readonly" role="dialog" aria-label=format!("Detalles de {label}") data-testid="mark-sheet" data-readonly="true" data-mark-id=mark.id.to_string()>
            <SheetHead mark=mark.clone() unknown_author=" · de otra persona" on_close=Callback::new(move |_| editor.selected.set(None))/>
            <div class="sheet-body">
                <p class="readonly-note" data-testid="readonly-note">
                    "La marcó otra persona: solo se cambia en el dispositivo donde se hizo. Si usted también lo ha visto, súmese con su propia marca."
                </p>
                {(!when.is_empty()).then(|| view! { <p class="mark-facts"><strong>"Cuándo y a quién: "</strong>{when}</p> })}
                {(!mark.description.is_empty()).then(|| view! { <p class="mark-facts"><strong>"Qué pasa: "</strong>{mark.description.clone()}</p> })}
                {is_problem.then(|| view! { <CausesList editor id=mark.id/> })}
            </div>
            <footer class="sheet-actions">
                <Show when=confirmed_by_me fallback=move || view! {
                    <button type="button" class="button primary wide" data-testid="plus-one" on:click=plus_one.clone()>
                        <svg viewBox="0 0 24 24" aria-hidden="true" class="icon"><path d="M12 5v14M5 12h14" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round"/></svg>
                        <span>"Yo también lo he visto"</span>
                    </button>
                }>
                    <p class="confirm" data-testid="already-confirmed">"Usted ya se sumó a esta marca."</p>
                    // The +1 is drawn as a count on this mark: its own answers are one tap away.
                    {move || my_plus_one().map(|mine| view! {
                        <button type="button" class="button" data-testid="open-plus-one" on:click=move |_| editor.selected.set(Some(mine))>"Ver la suya"</button>
                    })}
                </Show>
            </footer>
        </section>
    }
}

#[component]
fn OwnMarkSheet(mark: Mark, editor: Editor) -> impl IntoView {
    let category = Category::by_code(&mark.category);
    let label = category.map(|c| c.label_es).unwrap_or("Marca");
    let is_problem = mark.kind() == Some(MarkKind::Problem);
    let id = mark.id;
    let fresh = Signal::derive(move || editor.fresh.get() == Some(id));
    // Just made, the sheet asks only "¿Cuándo pasa?": it covers less of the map, whose next
    // tap makes the next mark. "Más detalles" opens the rest.
    let asked_more = RwSignal::new(false);
    // A tap on the mark itself (which ends "just made") opens all of it too.
    let more = Signal::derive(move || asked_more.get() || !fresh.get());
    let is_point = matches!(mark.geometry.value, geojson::Value::Point(_));
    let attributes = RwSignal::new(mark.attributes.clone());
    let description = RwSignal::new(mark.description.clone());
    let confirm_delete = RwSignal::new(false);
    // Set once the sheet's answers are saved or the mark deleted: nothing left to keep.
    let settled = StoredValue::new(false);
    let original = mark.clone();
    let changed = {
        let original = original.clone();
        move || attributes.with(|a| *a != original.attributes) || description.with(|d| *d != original.description)
    };
    // Keeps what was answered, as a new version, unless the mark changed under the sheet
    // (undone, deleted): answers are never written over a version they were not made on.
    let keep = {
        let original = original.clone();
        move || {
            if settled.get_value() {
                return;
            }
            settled.set_value(true);
            let (Some(a), Some(d)) = (attributes.try_get_untracked(), description.try_get_untracked()) else {
                return;
            };
            let current = editor.drawing.try_with_untracked(|dr| dr.mark(&original.id).map(|m| (m.version, m.deleted)));
            if current.flatten() != Some((original.version, false)) {
                return;
            }
            let mut next = original.next_version(now_ms());
            next.attributes = a;
            next.description = d.trim().to_string();
            if !next.same_content(&original) {
                editor.commit(vec![Record::Mark(next)], format!("«{label}» actualizada en este dispositivo."));
            }
        }
    };
    // However the sheet goes away (another tap on the map, another stage, "Cerrar"), what
    // was answered in it is kept: closing is never a way to lose an answer.
    on_cleanup({
        let keep = keep.clone();
        move || keep()
    });
    let done = {
        let keep = keep.clone();
        Callback::new(move |_: ()| {
            keep();
            editor.fresh.set(None);
            editor.selected.set(None);
        })
    };
    let delete = {
        let original = original.clone();
        move |_| {
            settled.set_value(true);
            let records = editor.deletion(&Record::Mark(original.clone()));
            let tied = records.len() - 1;
            editor.selected.set(None);
            let msg = if tied > 0 {
                format!("«{label}» borrada, y {} que dependían de ella. Puede deshacer.", crate::model::words::count_es(tied, "causa o solución", "causas o soluciones"))
            } else {
                format!("«{label}» borrada. Puede deshacer.")
            };
            editor.commit(records, msg);
        }
    };
    let reshape = {
        let original = original.clone();
        let keep = keep.clone();
        Callback::new(move |_: ()| {
            // The answers first, then the shape is moved from the version they made.
            keep();
            let latest = editor.drawing.with_untracked(|d| d.mark(&original.id).cloned()).unwrap_or_else(|| original.clone());
            start_reshape(editor, &latest)
        })
    };
    view! {
        <section class="sheet mark-sheet" role="dialog" aria-label=format!("Detalles de {label}") data-testid="mark-sheet" data-mark-id=mark.id.to_string()>
            <SheetHead mark=mark.clone() unknown_author="" on_close=done fresh/>
            <div class="sheet-body">
                <MultiChips legend="¿Cuándo pasa?" name="times" options=TimeOfDay::ALL label=TimeOfDay::label_es code=TimeOfDay::code
                    get=|a| &a.times get_mut=|a| &mut a.times attributes/>
                <Show when=move || more.get()>
                <MultiChips legend="¿Qué días?" name="days" options=Days::ALL label=Days::label_es code=Days::code
                    get=|a| &a.days get_mut=|a| &mut a.days attributes/>
                <OneChip legend="¿Qué tan seguido?" name="frequency" options=Frequency::ALL label=Frequency::label_es code=Frequency::code
                    get=|a| a.frequency set=|a, v| a.frequency = v attributes/>
                <OneChip legend="¿Desde cuándo?" name="since" options=Since::ALL label=Since::label_es code=Since::code
                    get=|a| a.since set=|a, v| a.since = v attributes/>
                <MultiChips legend="¿A quién afecta?" name="affected" options=Affected::ALL label=Affected::label_es code=Affected::code
                    get=|a| &a.affected get_mut=|a| &mut a.affected attributes/>
                <label class="field">
                    <span>"¿Qué pasa aquí? (sin nombres de personas)"</span>
                    <textarea rows="3" maxlength=MAX_DESCRIPTION_CHARS data-testid="description"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                </label>
                <MediaAttachments record=RecordRef { kind: RecordKind::Mark, id: mark.id } barrio_id=mark.barrio_id workshop_id=mark.workshop_id/>
                {is_problem.then(|| view! { <CausesList editor id=mark.id/> })}
                </Show>
            </div>
            <footer class="sheet-actions">
                <Show when=move || !confirm_delete.get() fallback=move || view! {
                    <p class="confirm">"¿Borrar esta marca? Podrá deshacerlo."</p>
                    <button type="button" class="button" on:click=move |_| confirm_delete.set(false)>"No"</button>
                    <button type="button" class="button danger" data-testid="confirm-delete" on:click=delete.clone()>"Sí, borrar"</button>
                }>
                    <Show when=move || more.get() fallback=move || view! {
                        <button type="button" class="button" data-testid="more-details" title="Qué días, qué tan seguido, desde cuándo, a quién afecta, qué pasa"
                            on:click=move |_| asked_more.set(true)>"Más detalles"</button>
                    }>
                        <button type="button" class="button" data-testid="reshape" on:click=move |_| reshape.run(())>
                            {if is_point { "Mover" } else { "Editar forma" }}
                        </button>
                    </Show>
                    <button type="button" class="button danger-outline" data-testid="delete" on:click=move |_| confirm_delete.set(true)>"Borrar"</button>
                    <button type="button" class="button primary done" data-testid="save-mark" class:attention=changed.clone() on:click=move |_| done.run(())>"Listo"</button>
                </Show>
            </footer>
        </section>
    }
}
