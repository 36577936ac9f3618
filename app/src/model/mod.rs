//! The data model shared by the browser app and the server: barrios, categories, marks and
//! the problem tree, with the validation both sides apply. Pure: no I/O, no browser types.

pub mod account;
pub mod acta;
pub mod adjustment;
pub mod attributes;
pub mod balance;
pub mod barrio;
pub mod cbsc;
pub mod clock;
pub mod comparison;
pub mod diagnostico;
pub mod drawing;
pub mod geometry;
pub mod hotspot_filter;
pub mod hygiene;
pub mod inscripcion;
pub mod intervencion;
pub mod mark;
pub mod miniauditoria;
pub mod media;
pub mod pacto;
pub mod pack;
pub mod photo_annex;
pub mod places;
pub mod publication;
pub mod redaction;
pub mod remapeo;
pub mod registro;
pub mod report;
pub mod review;
pub mod room;
pub mod ruta;
pub mod stage;
pub mod status;
pub mod sync;
pub mod taxonomy;
pub mod tree;
pub mod versioned;
pub mod words;
pub mod workshop;

pub use attributes::{Affected, Attributes, Days, Frequency, Since, TimeOfDay};
pub use barrio::{Barrio, BarrioSummary, SANTA_MARTA_MUNICIPIO};
pub use clock::Hlc;
pub use diagnostico::{
    hotspot_id, AffectedProfile, DaysProfile, Diagnostico, FrequencyProfile, GeometryKind, Hotspot, InstitutionGroup, MergeParams,
    RankedCause, RankedSolution, SinceProfile, TimeProfile, Totals,
};
pub use drawing::{Drawing, Record, Step};
pub use geometry::GeometryError;
pub use mark::{Mark, MarkError};
pub use pack::{BarrioPack, BaseLayers, LandmarkKind, PackInfo, PACK_FORMAT};
pub use stage::Stage;
pub use sync::{Batch, BatchReply, ChangeError, ChangeResult, ChangeStatus, ErrorBody, PullReply};
pub use taxonomy::{Category, CategoryGroup, MarkKind, CATEGORIES};
pub use tree::{Cause, CauseCategory, Institution, Solution, TreeError, CAUSE_CATEGORIES, INSTITUTIONS};
pub use workshop::{JoinReply, JoinRequest, Workshop, WorkshopDraft, WorkshopError, WorkshopSettings};

/// An error's `Display` text as an English sentence: capital first letter, final full stop.
pub fn sentence(error: &impl std::fmt::Display) -> String {
    let mut s = error.to_string();
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s + "."
}

/// A message for people, in the app's two languages (Spanish first, Colombian usage).
pub trait Bilingual {
    fn es(&self) -> String;
    fn en(&self) -> String;
}
