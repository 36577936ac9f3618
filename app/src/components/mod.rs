//! Small pieces of UI shared by the pages.

pub mod account;
pub mod corrections;
pub mod device_wipe;
pub mod document;
pub mod hint_strip;
pub mod hotspot_filters;
pub mod hotspot_review;
pub mod hydration;
pub mod icons;
pub mod item_list;
pub mod mark_sheet;
pub mod media_capture;
pub mod packs;
pub mod palette;
pub mod participant;
pub mod pull_sheet;
pub mod pwa;
pub mod qr;
pub mod room;
pub mod status;
pub mod tools;
pub mod tree_panel;
