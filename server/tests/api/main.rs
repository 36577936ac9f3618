//! Integration tests: the real router on a free loopback port, over a real SQLite file in a
//! temporary folder, seeded as on first start.

mod access;
mod actas;
mod assets;
mod balance;
mod cbsc;
mod corrections;
mod diagnosticos;
mod diagnosticos_exports;
mod helpers;
mod history;
mod imports;
mod indicadores;
mod inscripciones;
mod limits;
mod marks;
mod media;
mod media_staff;
mod openapi;
mod packs;
mod intervenciones;
mod miniauditorias;
mod pactos;
mod publications;
mod room;
mod pages;
mod remapeo;
mod ruta;
mod status;
mod sync;
mod tree;
mod workshops;
