//! Names the on-demand stylesheet (`style/staff.css`) by a hash of its content, so the server
//! can serve it as an immutable `/pkg` file and a new version is a new URL.

use std::hash::{Hash, Hasher};

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../style/staff.css");
    println!("cargo:rerun-if-changed={path}");
    let css = std::fs::read(path).expect("style/staff.css is part of the source tree");
    // Only a cache-busting name: any change of content must change it, nothing more.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    css.hash(&mut hasher);
    println!("cargo:rustc-env=CARTOBARRIO_STAFF_CSS_HASH={:016x}", hasher.finish());
}
