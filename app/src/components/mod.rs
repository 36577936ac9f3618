//! Small pieces of UI shared by the pages.

pub mod icons;
pub mod packs;
pub mod palette;
pub mod participant;
pub mod pwa;
pub mod status;
