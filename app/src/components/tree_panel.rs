//! The árbol de problemas and the solutions, as panels beside the map: pick the problems (or
//! causes) from a list or on the map, say what kind and why, add; every cause and solution
//! listed with what it is tied to, and editable or deletable (with undo).

use leptos::prelude::*;
use uuid::Uuid;

use crate::editor::{new_id, now_ms, Editor};
use crate::model::tree::MAX_TREE_TEXT_CHARS;
use crate::model::{Bilingual, Category, Cause, MarkKind, Record, Solution, CAUSE_CATEGORIES, INSTITUTIONS};

/// The causes form's state, shared with the map so tapping a problem ticks it.
#[derive(Clone, Copy)]
pub struct TreeForm {
    pub picked: RwSignal<Vec<Uuid>>,
    pub kind: RwSignal<Option<&'static str>>,
    pub text: RwSignal<String>,
    /// The cause or solution being edited, if any.
    pub editing: RwSignal<Option<Uuid>>,
    pub problem: RwSignal<Option<String>>,
}

impl TreeForm {
    pub fn new() -> TreeForm {
        TreeForm {
            picked: RwSignal::new(Vec::new()),
            kind: RwSignal::new(None),
            text: RwSignal::new(String::new()),
            editing: RwSignal::new(None),
            problem: RwSignal::new(None),
        }
    }
    pub fn toggle(&self, id: Uuid) {
        self.picked.update(|p| match p.iter().position(|x| *x == id) {
            Some(i) => {
                p.remove(i);
            }
            None => p.push(id),
        });
    }
    fn clear(&self) {
        self.picked.set(Vec::new());
        self.kind.set(None);
        self.text.set(String::new());
        self.editing.set(None);
        self.problem.set(None);
    }
}

impl Default for TreeForm {
    fn default() -> Self {
        TreeForm::new()
    }
}

/// A ticked list: problems for a cause, causes for a solution.
#[component]
fn PickList(
    form: TreeForm,
    #[prop(into)] items: Signal<Vec<(Uuid, String, String)>>,
    empty: &'static str,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="pick-list" data-testid=testid>
            {move || {
                let items = items.get();
                if items.is_empty() {
                    return view! { <p class="muted">{empty}</p> }.into_any();
                }
                items.into_iter().map(|(id, title, detail)| {
                    let on = move || form.picked.with(|p| p.contains(&id));
                    view! {
                        <button type="button" class="pick" class:on=on aria-pressed=move || on().to_string() data-id=id.to_string()
                            on:click=move |_| form.toggle(id)>
                            <span class="pick-box" aria-hidden="true">{move || if on() { "✓" } else { "" }}</span>
                            <span class="pick-text"><strong>{title}</strong><small>{detail}</small></span>
                        </button>
                    }
                }).collect_view().into_any()
            }}
        </div>
    }
}

/// The part the causes and solutions forms share: one kind to choose (kind of cause, or
/// institution), the words, the form's problem, and cancel / add-or-save.
#[component]
#[allow(clippy::too_many_arguments)]
fn FormRest(
    form: TreeForm,
    question: &'static str,
    choices: Vec<(&'static str, &'static str)>,
    choices_testid: &'static str,
    text_label: &'static str,
    text_testid: &'static str,
    submit_testid: &'static str,
    add_label: &'static str,
    save_label: &'static str,
    on_submit: Callback<()>,
) -> impl IntoView {
    view! {
        <h3>{question}</h3>
        <div class="chips" data-testid=choices_testid>
            {choices.into_iter().map(|(code, label)| {
                let on = move || form.kind.get() == Some(code);
                view! { <button type="button" class="chip-choice" class:on=on aria-pressed=move || on().to_string() data-choice=code on:click=move |_| form.kind.set(Some(code))>{label}</button> }
            }).collect_view()}
        </div>
        <label class="field">
            <span>{text_label}</span>
            <input type="text" maxlength=MAX_TREE_TEXT_CHARS data-testid=text_testid prop:value=move || form.text.get() on:input=move |ev| form.text.set(event_target_value(&ev))/>
        </label>
        {move || form.problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
        <div class="form-actions">
            <Show when=move || form.editing.get().is_some()>
                <button type="button" class="button" on:click=move |_| form.clear()>"Cancelar"</button>
            </Show>
            <button type="button" class="button primary" data-testid=submit_testid on:click=move |_| on_submit.run(())>
                {move || if form.editing.get().is_some() { save_label } else { add_label }}
            </button>
        </div>
    }
}

#[component]
pub fn CausesPanel(editor: Editor, form: TreeForm, #[prop(into)] alias: Signal<String>) -> impl IntoView {
    let problems = Signal::derive(move || {
        editor.drawing.with(|d| {
            d.marks
                .iter()
                .filter(|m| !m.deleted && m.kind() == Some(MarkKind::Problem))
                .map(|m| {
                    let label = Category::by_code(&m.category).map(|c| c.label_es).unwrap_or("Problema").to_string();
                    let mut detail = editor.where_when_who(m);
                    if !m.description.is_empty() {
                        detail = if detail.is_empty() { m.description.clone() } else { format!("{detail} — {}", m.description) };
                    }
                    (m.id, label, detail)
                })
                .collect()
        })
    });
    let add = move |()| {
        let Some(kind) = form.kind.get_untracked() else {
            form.problem.set(Some("Elija el tipo de causa.".into()));
            return;
        };
        let now = now_ms();
        let cause = match form.editing.get_untracked().and_then(|id| editor.drawing.with_untracked(|d| d.cause(&id).cloned())) {
            Some(old) => Cause {
                category: kind.into(),
                text: form.text.get_untracked().trim().into(),
                problem_ids: form.picked.get_untracked(),
                version: old.version + 1,
                updated_at_ms: now.max(old.created_at_ms),
                ..old
            },
            None => Cause {
                workshop_id: None,
                hlc: None,
                id: new_id(),
                barrio_id: editor.barrio_id,
                category: kind.into(),
                text: form.text.get_untracked().trim().into(),
                problem_ids: form.picked.get_untracked(),
                alias: alias.get_untracked(),
                created_at_ms: now,
                version: 1,
                updated_at_ms: 0,
                deleted: false,
            },
        };
        let checked = cause.check().and_then(|_| editor.drawing.with_untracked(|d| cause.check_links(|id| d.mark(id))));
        if let Err(e) = checked {
            form.problem.set(Some(e.es()));
            return;
        }
        let msg = format!("Causa «{}» guardada en este dispositivo.", cause.label_es());
        form.clear();
        editor.commit(vec![Record::Cause(cause)], msg);
    };
    let causes = move || editor.drawing.with(|d| d.causes.iter().filter(|c| !c.deleted).cloned().collect::<Vec<_>>());
    view! {
        <section class="tree-panel" data-testid="causes-panel" aria-label="Árbol de problemas">
            <div class="tree-form">
                <h2>{move || if form.editing.get().is_some() { "Cambiar la causa" } else { "Nueva causa" }}</h2>
                <h3>"1. ¿Qué problemas explica? (también puede tocarlos en el mapa)"</h3>
                <PickList form items=problems empty="Todavía no hay problemas en el mapa: dibújelos en la etapa 2." testid="pick-problems"/>
                <FormRest form question="2. ¿Qué tipo de causa es?" choices=CAUSE_CATEGORIES.iter().map(|c| (c.code, c.label_es)).collect()
                    choices_testid="cause-kinds" text_label="3. En palabras del grupo (opcional)" text_testid="cause-text"
                    submit_testid="add-cause" add_label="Agregar causa" save_label="Guardar causa" on_submit=Callback::new(add)/>
            </div>
            <h2>{move || format!("Causas ({})", causes().len())}</h2>
            <ul class="tree-list" data-testid="cause-list">
                <For each=causes key=|c| (c.id, c.version) let:cause>
                    <CauseCard cause editor form/>
                </For>
            </ul>
        </section>
    }
}

/// "Cambiar" and "Borrar" for a cause or solution this device made; another device's is
/// changed only where it was made (the server refuses it from here), and says so.
#[component]
fn CardActions(mine: bool, kind: &'static str, on_edit: Callback<()>, on_delete: Callback<()>) -> impl IntoView {
    if mine {
        view! {
            <div class="tree-card-actions">
                <button type="button" class="button small" data-testid=format!("edit-{kind}") on:click=move |_| on_edit.run(())>"Cambiar"</button>
                <button type="button" class="button small danger-outline" data-testid=format!("delete-{kind}") on:click=move |_| on_delete.run(())>"Borrar"</button>
            </div>
        }
        .into_any()
    } else {
        view! { <small class="others-note" data-testid=format!("others-{kind}")>"De otro dispositivo: se cambia donde se hizo."</small> }.into_any()
    }
}

#[component]
fn CauseCard(cause: Cause, editor: Editor, form: TreeForm) -> impl IntoView {
    let id = cause.id;
    let problems = editor.drawing.with_untracked(|d| {
        cause
            .problem_ids
            .iter()
            .filter_map(|p| d.mark(p))
            .map(|m| Category::by_code(&m.category).map(|c| c.label_es).unwrap_or("Problema"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    let solutions = editor.drawing.with_untracked(|d| d.solutions_of(&id).len());
    let edit = {
        let cause = cause.clone();
        move |_: ()| {
            form.picked.set(cause.problem_ids.clone());
            form.kind.set(crate::model::CauseCategory::by_code(&cause.category).map(|c| c.code));
            form.text.set(cause.text.clone());
            form.editing.set(Some(cause.id));
        }
    };
    let delete = {
        let cause = cause.clone();
        move |_: ()| {
            let records = editor.deletion(&Record::Cause(cause.clone()));
            editor.commit(records, "Causa borrada. Puede deshacer.".into());
        }
    };
    let lit = move || editor.highlighted_cause.get() == Some(id);
    // Another device's cause is read here, and changed only where it was made.
    let mine = editor.made_here(cause.hlc.as_ref());
    let author = (!cause.alias.is_empty()).then(|| format!(" · de {}", cause.alias));
    view! {
        <li class="tree-card" class:lit=lit data-cause-id=id.to_string()>
            <button type="button" class="tree-card-main" on:click=move |_| editor.highlighted_cause.update(|h| *h = if *h == Some(id) { None } else { Some(id) })>
                <strong>{cause.label_es()}</strong>
                {(!cause.text.is_empty()).then(|| view! { <span>{cause.text.clone()}</span> })}
                <small>
                    "Explica: " {problems}
                    {(solutions > 0).then(|| format!(" · {}", crate::model::words::count_es(solutions, "solución", "soluciones")))}
                    {author}
                </small>
            </button>
            <CardActions mine kind="cause" on_edit=Callback::new(edit) on_delete=Callback::new(delete)/>
        </li>
    }
}

#[component]
pub fn SolutionsPanel(editor: Editor, form: TreeForm, #[prop(into)] alias: Signal<String>) -> impl IntoView {
    let causes = Signal::derive(move || {
        editor.drawing.with(|d| {
            d.causes
                .iter()
                .filter(|c| !c.deleted)
                .map(|c| {
                    let problems = c
                        .problem_ids
                        .iter()
                        .filter_map(|p| d.mark(p))
                        .map(|m| Category::by_code(&m.category).map(|x| x.label_es).unwrap_or(""))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let detail = if c.text.is_empty() { format!("Explica: {problems}") } else { format!("{} — {problems}", c.text) };
                    (c.id, c.label_es().to_string(), detail)
                })
                .collect()
        })
    });
    let add = move |()| {
        let Some(institution) = form.kind.get_untracked() else {
            form.problem.set(Some("Elija quién debe hacerlo.".into()));
            return;
        };
        let now = now_ms();
        let solution = match form.editing.get_untracked().and_then(|id| editor.drawing.with_untracked(|d| d.solution(&id).cloned())) {
            Some(old) => Solution {
                institution: institution.into(),
                text: form.text.get_untracked().trim().into(),
                cause_ids: form.picked.get_untracked(),
                version: old.version + 1,
                updated_at_ms: now.max(old.created_at_ms),
                ..old
            },
            None => Solution {
                workshop_id: None,
                hlc: None,
                id: new_id(),
                barrio_id: editor.barrio_id,
                text: form.text.get_untracked().trim().into(),
                institution: institution.into(),
                cause_ids: form.picked.get_untracked(),
                alias: alias.get_untracked(),
                created_at_ms: now,
                version: 1,
                updated_at_ms: 0,
                deleted: false,
            },
        };
        let checked = solution.check().and_then(|_| editor.drawing.with_untracked(|d| solution.check_links(|id| d.cause(id))));
        if let Err(e) = checked {
            form.problem.set(Some(e.es()));
            return;
        }
        let msg = format!("Solución para «{}» guardada en este dispositivo.", solution.institution_es());
        form.clear();
        editor.commit(vec![Record::Solution(solution)], msg);
    };
    let by_institution = move || {
        editor.drawing.with(|d| {
            INSTITUTIONS
                .iter()
                .map(|i| (i.label_es, d.solutions.iter().filter(|s| !s.deleted && s.institution == i.code).cloned().collect::<Vec<_>>()))
                .filter(|(_, list)| !list.is_empty())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="tree-panel" data-testid="solutions-panel" aria-label="Soluciones">
            <div class="tree-form">
                <h2>{move || if form.editing.get().is_some() { "Cambiar la solución" } else { "Nueva solución" }}</h2>
                <h3>"1. ¿Qué causas atiende?"</h3>
                <PickList form items=causes empty="Todavía no hay causas: agréguelas en la etapa 3." testid="pick-causes"/>
                <FormRest form question="2. ¿Quién debe hacerlo?" choices=INSTITUTIONS.iter().map(|i| (i.code, i.label_es)).collect()
                    choices_testid="institutions" text_label="3. ¿Qué se propone?" text_testid="solution-text"
                    submit_testid="add-solution" add_label="Agregar solución" save_label="Guardar solución" on_submit=Callback::new(add)/>
            </div>
            <h2>"Soluciones por institución"</h2>
            <div data-testid="solution-list">
                {move || by_institution().into_iter().map(|(inst, list)| view! {
                    <h3 class="institution">{inst}</h3>
                    <ul class="tree-list">
                        {list.into_iter().map(|s| view! { <SolutionCard solution=s editor form/> }).collect_view()}
                    </ul>
                }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn SolutionCard(solution: Solution, editor: Editor, form: TreeForm) -> impl IntoView {
    let causes = editor
        .drawing
        .with_untracked(|d| solution.cause_ids.iter().filter_map(|c| d.cause(c)).map(|c| c.label_es()).collect::<Vec<_>>().join(", "));
    let edit = {
        let s = solution.clone();
        move |_: ()| {
            form.picked.set(s.cause_ids.clone());
            form.kind.set(crate::model::Institution::by_code(&s.institution).map(|i| i.code));
            form.text.set(s.text.clone());
            form.editing.set(Some(s.id));
        }
    };
    let delete = {
        let s = solution.clone();
        move |_: ()| {
            let records = editor.deletion(&Record::Solution(s.clone()));
            editor.commit(records, "Solución borrada. Puede deshacer.".into());
        }
    };
    let mine = editor.made_here(solution.hlc.as_ref());
    let author = (!solution.alias.is_empty()).then(|| format!(" · de {}", solution.alias));
    view! {
        <li class="tree-card" data-solution-id=solution.id.to_string()>
            <div class="tree-card-main">
                <strong>{solution.text.clone()}</strong>
                <small>"Atiende: " {causes} {author}</small>
            </div>
            <CardActions mine kind="solution" on_edit=Callback::new(edit) on_delete=Callback::new(delete)/>
        </li>
    }
}
