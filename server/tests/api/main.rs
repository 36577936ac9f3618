//! Integration tests: the real router on a free loopback port, over a real SQLite file in a
//! temporary folder, seeded as on first start.

mod diagnosticos;
mod helpers;
mod history;
mod marks;
mod openapi;
mod packs;
mod pages;
mod status;
mod sync;
mod tree;
mod workshops;
