//! A built site's stand-in for tests of the server binary: it refuses to start without the
//! app's files in `{site-root}/pkg`, and these tests need only the API.

use std::path::{Path, PathBuf};

/// Writes `pkg/cartobarrio.{js,wasm,css}` (empty, unhashed, as a development build names them)
/// under `dir/site` and returns that folder, for `--site-root`.
pub fn stub_site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("creating the stub site");
    for ext in ["js", "wasm", "css"] {
        std::fs::write(site.join("pkg").join(format!("cartobarrio.{ext}")), "").expect("writing a stub asset");
    }
    site
}
