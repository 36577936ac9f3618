//! The barrio page's editing state: what is drawn (current versions), what is selected, the
//! tool in hand, and undo/redo. Every change is saved to IndexedDB as new versions before the
//! screen shows it; undo and redo are themselves new versions, so history is never rewritten.

use leptos::prelude::*;
use uuid::Uuid;

use std::sync::Arc;

use crate::model::places::PlaceNames;
use crate::model::{Drawing, Hlc, Mark, Record, Step};

/// How many actions can be undone.
const UNDO_DEPTH: usize = 50;

/// What a tap on the map does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Point,
    Line,
    Zone,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::Point, Tool::Line, Tool::Zone];

    pub fn code(self) -> &'static str {
        match self {
            Tool::Point => "punto",
            Tool::Line => "ruta",
            Tool::Zone => "zona",
        }
    }
    pub fn label_es(self) -> &'static str {
        match self {
            Tool::Point => "Punto",
            Tool::Line => "Ruta",
            Tool::Zone => "Zona",
        }
    }
}

/// A shape being drawn (vertices in lon/lat), or a mark's shape being moved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    pub vertices: Vec<(f64, f64)>,
    /// `Some(id)` when reshaping an existing mark rather than drawing a new one.
    pub editing: Option<Uuid>,
}

#[derive(Clone, Copy)]
pub struct Editor {
    pub barrio_id: i64,
    pub drawing: RwSignal<Drawing>,
    /// False until the device's records are read: nothing is drawn over an unread store.
    pub loaded: RwSignal<bool>,
    pub tool: RwSignal<Tool>,
    pub category: RwSignal<Option<&'static str>>,
    pub draft: RwSignal<Option<Draft>>,
    /// The mark whose sheet is open.
    pub selected: RwSignal<Option<Uuid>>,
    /// The mark just made here, whose sheet opens to say it is kept and to offer the
    /// optional details.
    pub fresh: RwSignal<Option<Uuid>>,
    /// A cause whose links the map shows.
    pub highlighted_cause: RwSignal<Option<Uuid>>,
    /// Where the map should centre next (lon, lat).
    pub focus: RwSignal<Option<(f64, f64)>>,
    undo: StoredValue<Vec<Step>>,
    redo: StoredValue<Vec<Step>>,
    pub can_undo: RwSignal<bool>,
    pub can_redo: RwSignal<bool>,
    /// What the last action did, or why it failed, for the notice line.
    pub message: RwSignal<Option<(bool, String)>>,
    /// This device's id, the node of the clocks of the versions it makes: the marks it may
    /// change are those whose current version it made. `None` until read.
    pub device: RwSignal<Option<String>>,
    /// The barrio's street and landmark names, once its base layers are read: lists say
    /// where each mark is.
    pub places: RwSignal<Arc<PlaceNames>>,
    sync: crate::components::status::SyncState,
}

impl Editor {
    pub fn new(barrio_id: i64) -> Editor {
        let editor = Editor {
            barrio_id,
            drawing: RwSignal::new(Drawing::default()),
            loaded: RwSignal::new(false),
            tool: RwSignal::new(Tool::Point),
            category: RwSignal::new(None),
            draft: RwSignal::new(None),
            selected: RwSignal::new(None),
            fresh: RwSignal::new(None),
            highlighted_cause: RwSignal::new(None),
            focus: RwSignal::new(None),
            undo: StoredValue::new(Vec::new()),
            redo: StoredValue::new(Vec::new()),
            can_undo: RwSignal::new(false),
            can_redo: RwSignal::new(false),
            message: RwSignal::new(None),
            device: RwSignal::new(None),
            places: RwSignal::new(Arc::new(PlaceNames::default())),
            sync: crate::components::status::use_sync_state(),
        };
        // Loads what the device holds, and again whenever a sync brought other devices' work
        // for this barrio.
        #[cfg(feature = "hydrate")]
        Effect::new(move |first: Option<()>| {
            let pulled_here = editor.sync.remote_changes.with(|(_, barrios)| barrios.contains(&barrio_id));
            if first.is_some() && !pulled_here {
                return;
            }
            leptos::task::spawn_local(async move {
                if editor.device.get_untracked().is_none() {
                    if let Ok(id) = crate::client::storage::device_id().await {
                        editor.device.set(Some(id));
                    }
                }
                match crate::client::storage::drawing_for_barrio(barrio_id).await {
                    Ok(d) => {
                        editor.drawing.set(d);
                        editor.loaded.set(true);
                    }
                    Err(e) => editor.message.set(Some((false, format!("No se pudo leer lo guardado: {e}")))),
                }
            });
        });
        editor
    }

    /// Whether this device may change `mark`: only marks whose current version it made.
    /// Others' marks are read-only here (their sheet offers "Yo también lo he visto"), as the
    /// server would refuse the change. Until the device's id is read, nothing is anyone's.
    pub fn is_mine(&self, mark: &Mark) -> bool {
        self.made_here(mark.hlc.as_ref())
    }

    /// Whether this device made the version stamped with `clock` (a mark's, a cause's or a
    /// solution's), so that it may change it. Until the device's id is read, nothing is.
    pub fn made_here(&self, clock: Option<&Hlc>) -> bool {
        self.device.with(|d| d.as_deref().is_some_and(|node| crate::model::clock::made_on(clock, node)))
    }

    /// A mark's line in a list, after its category: where it is (the nearest street), when it
    /// happens and who marked it — "cerca de Calle 33 · Noche · de Ana" — so that two marks of
    /// the same category can be told apart.
    pub fn where_when_who(&self, mark: &Mark) -> String {
        let place = mark.anchor().and_then(|p| self.places.with(|names| names.near(p)));
        let when = Some(mark.attributes.summary_es()).filter(|s| !s.is_empty());
        let who = (!mark.alias.is_empty()).then(|| format!("de {}", mark.alias));
        [place, when, who].into_iter().flatten().collect::<Vec<_>>().join(" · ")
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn refresh_flags(&self) {
        self.can_undo.set(self.undo.with_value(|u| !u.is_empty()));
        self.can_redo.set(self.redo.with_value(|r| !r.is_empty()));
    }

    /// The versions deleting `record` makes that this device sends: its tombstone, and the
    /// untying of what this device made (the server unties the rest).
    pub fn deletion(&self, record: &Record) -> Vec<Record> {
        let all = self.drawing.with_untracked(|d| d.delete(record, now_ms()));
        match self.device.get_untracked() {
            Some(node) => Drawing::own_part(all, &node),
            None => all,
        }
    }

    /// Saves a new mark and then opens its sheet, so the person sees that more can be said
    /// (when, how often, to whom) and nobody has to say it: "Listo" closes it.
    pub fn commit_new(&self, mark: Mark, done: String) {
        let id = mark.id;
        self.selected.set(None);
        self.fresh.set(Some(id));
        self.commit(vec![Record::Mark(mark)], done);
        // The sheet shows once the mark is read back from the store.
        self.selected.set(Some(id));
    }

    /// Saves an action's records; `done` says what to tell the person once it is kept.
    pub fn commit(&self, records: Vec<Record>, done: String) {
        let step = self.drawing.with_untracked(|d| d.step(&records));
        let this = *self;
        self.persist(records, move || {
            this.undo.update_value(|u| {
                u.push(step);
                if u.len() > UNDO_DEPTH {
                    u.remove(0);
                }
            });
            this.redo.set_value(Vec::new());
            this.message.set(Some((true, done)));
        });
    }

    pub fn undo(&self) {
        let Some(step) = self.undo.try_update_value(|u| u.pop()).flatten() else {
            return;
        };
        let (records, inverse) = self.drawing.with_untracked(|d| d.undo(&step, now_ms()));
        let this = *self;
        self.persist(records, move || {
            this.redo.update_value(|r| r.push(inverse));
            this.message.set(Some((true, "Se deshizo el último cambio.".into())));
        });
    }

    pub fn redo(&self) {
        let Some(step) = self.redo.try_update_value(|r| r.pop()).flatten() else {
            return;
        };
        let (records, inverse) = self.drawing.with_untracked(|d| d.undo(&step, now_ms()));
        let this = *self;
        self.persist(records, move || {
            this.undo.update_value(|u| u.push(inverse));
            this.message.set(Some((true, "Se rehízo el cambio.".into())));
        });
    }

    /// Writes to IndexedDB, then shows the change and queues it for sending.
    fn persist(&self, records: Vec<Record>, after: impl FnOnce() + 'static) {
        #[cfg(feature = "hydrate")]
        {
            let this = *self;
            let sync = self.sync;
            leptos::task::spawn_local(async move {
                match crate::client::storage::save_records(&records).await {
                    Ok(records) => {
                        this.drawing.update(|d| {
                            records.into_iter().for_each(|r| {
                                d.apply(r);
                            })
                        });
                        after();
                        crate::client::sync::send_soon(sync);
                    }
                    Err(e) => this.message.set(Some((false, format!("No se guardó en este dispositivo: {e}")))),
                }
                this.refresh_flags();
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (records, after, self.sync);
    }
}

pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    return crate::client::device::now_ms();
    #[cfg(not(feature = "hydrate"))]
    0
}

pub fn new_id() -> Uuid {
    #[cfg(feature = "hydrate")]
    return crate::client::device::new_id();
    #[cfg(not(feature = "hydrate"))]
    Uuid::nil()
}
