//! The build's asset names, worked out from the files in `{site-root}/pkg` (so a binary
//! copied anywhere serves the site it is pointed at), and the service worker generated from
//! them, so every deployment gets a worker whose bytes differ and which precaches exactly the
//! files that deployment serves.

use std::path::{Path, PathBuf};

/// Hashes of the built JS, wasm and CSS, as cargo-leptos names them (`cartobarrio.{hash}.js`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetManifest {
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// A split build (`cargo leptos build --split`): the pages loaded on demand.
    pub split: Option<SplitAssets>,
}

/// What `--split` adds to `pkg/`: the loader of the lazily loaded chunks
/// (`__wasm_split.{hash}.js`, imported by the main JS, so part of every first load) and the
/// manifest of the chunks each lazy page needs (`__wasm_split_manifest.{hash}.json`, which
/// leptos reads to preload a lazy page's chunks in its HTML).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitAssets {
    pub loader: String,
    pub manifest: String,
}

impl AssetManifest {
    /// The same lines `hash.txt` holds, which leptos reads to name the files in each page.
    pub fn to_hash_txt(&self) -> String {
        let mut text = format!("js: {}\nwasm: {}\ncss: {}\n", self.js, self.wasm, self.css);
        if let Some(split) = &self.split {
            text.push_str(&format!("manifest: {}\nsplit: {}\n", split.manifest, split.loader));
        }
        text
    }

    /// The files under `/pkg` a first visit downloads (a participant's pages are all in the
    /// main module; the chunks of the pages loaded on demand are not among them).
    pub fn pkg_files(&self, output_name: &str) -> Vec<String> {
        let mut files = vec![
            format!("/pkg/{output_name}.{}.js", self.js),
            format!("/pkg/{output_name}.{}.wasm", self.wasm),
            format!("/pkg/{output_name}.{}.css", self.css),
        ];
        if let Some(split) = &self.split {
            files.push(format!("/pkg/__wasm_split.{}.js", split.loader));
        }
        files
    }
}

/// The `/pkg` paths of the wasm chunks the split points named by `splits` need (`"room_pages"`
/// for the `#[lazy] fn room_pages`, `"workshops_route"` for a `#[lazy_route]` on
/// `WorkshopsRoute`), as the split manifest lists them, each once: the pages a worker
/// precaches although a first visit does not load them. Empty for a build without a split or
/// whose manifest cannot be read (the pages then load their chunks when opened, as staff's do).
pub fn chunks_of(site_root: &Path, split: &SplitAssets, splits: &[&str]) -> Vec<String> {
    let path = site_root.join("pkg").join(format!("__wasm_split_manifest.{}.json", split.manifest));
    let Ok(text) = std::fs::read_to_string(&path) else { return Vec::new() };
    let Ok(manifest) = serde_json::from_str::<std::collections::BTreeMap<String, Vec<String>>>(&text) else {
        tracing::warn!(path = %path.display(), "the split manifest could not be read: facilitators' pages are not precached");
        return Vec::new();
    };
    let mut chunks: Vec<String> = manifest
        .iter()
        .filter(|(key, _)| split_point(key).is_some_and(|name| splits.contains(&name)))
        .flat_map(|(_, chunks)| chunks.iter())
        .filter(|c| c.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-' | '.')))
        .map(|c| format!("/pkg/{c}.wasm"))
        .collect();
    chunks.sort();
    chunks.dedup();
    chunks
}

/// The name of the split point a manifest key stands for: the key is that name and a hash of
/// where it was declared (`room_pages_17`; `__workshops_route_view_17` for a `#[lazy_route]`
/// on `WorkshopsRoute`).
fn split_point(key: &str) -> Option<&str> {
    let (name, hash) = key.trim_start_matches('_').rsplit_once('_')?;
    if hash.is_empty() || !hash.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(name.strip_suffix("_view").filter(|_| key.starts_with("__")).unwrap_or(name))
}

/// What `{site-root}/pkg` holds for the app called `output_name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteAssets {
    /// A release build: `{name}.{hash}.js`, `.wasm` and `.css` (the newest of each, should
    /// older builds' files still lie there).
    Hashed(AssetManifest),
    /// A development build: `{name}.js`, `.wasm` and `.css`.
    Plain,
}

#[derive(Debug, thiserror::Error)]
#[error(
    "no hay aplicación compilada en {0}: faltan {1}. Compile con `cargo leptos build --release` o indique la carpeta del \
     sitio con --site-root / LEPTOS_SITE_ROOT (no built app in {0}: {1} missing; build it or point --site-root at the site)"
)]
pub struct MissingAssets(String, String);

impl SiteAssets {
    /// Looks in `{site_root}/pkg` for the app's JS, wasm and CSS.
    pub fn find(site_root: &Path, output_name: &str) -> Result<SiteAssets, MissingAssets> {
        let pkg = site_root.join("pkg");
        let mut newest: [Option<(std::time::SystemTime, String)>; 3] = Default::default();
        let mut plain = [false; 3];
        const KINDS: [&str; 3] = ["js", "wasm", "css"];
        for entry in std::fs::read_dir(&pkg).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix(output_name).and_then(|r| r.strip_prefix('.')) else { continue };
            let (stem, ext) = rest.rsplit_once('.').unwrap_or(("", rest));
            let Some(k) = KINDS.iter().position(|kind| *kind == ext) else { continue };
            if stem.is_empty() {
                plain[k] = true;
                continue;
            }
            if !stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                continue;
            }
            let modified = entry.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
            if newest[k].as_ref().is_none_or(|(t, _)| modified > *t) {
                newest[k] = Some((modified, stem.to_string()));
            }
        }
        if let [Some((_, js)), Some((_, wasm)), Some((_, css))] = newest {
            let split = find_split(&pkg);
            return Ok(SiteAssets::Hashed(AssetManifest { js, wasm, css, split }));
        }
        if plain == [true; 3] {
            return Ok(SiteAssets::Plain);
        }
        let missing: Vec<String> =
            (0..3).filter(|k| newest[*k].is_none() && !plain[*k]).map(|k| format!("{output_name}.*.{}", KINDS[k])).collect();
        Err(MissingAssets(pkg.display().to_string(), missing.join(", ")))
    }

    pub fn manifest(&self) -> Option<&AssetManifest> {
        match self {
            SiteAssets::Hashed(m) => Some(m),
            SiteAssets::Plain => None,
        }
    }
}

/// The newest `__wasm_split.{hash}.js` and `__wasm_split_manifest.{hash}.json` in `pkg`, if both
/// are there (a split build).
fn find_split(pkg: &Path) -> Option<SplitAssets> {
    let mut newest: [Option<(std::time::SystemTime, String)>; 2] = Default::default();
    for entry in std::fs::read_dir(pkg).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let (k, hash) = if let Some(h) = name.strip_prefix("__wasm_split.").and_then(|r| r.strip_suffix(".js")) {
            (0, h)
        } else if let Some(h) = name.strip_prefix("__wasm_split_manifest.").and_then(|r| r.strip_suffix(".json")) {
            (1, h)
        } else {
            continue;
        };
        if hash.is_empty() || !hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            continue;
        }
        let modified = entry.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
        if newest[k].as_ref().is_none_or(|(t, _)| modified > *t) {
            newest[k] = Some((modified, hash.to_string()));
        }
    }
    match newest {
        [Some((_, loader)), Some((_, manifest))] => Some(SplitAssets { loader, manifest }),
        _ => None,
    }
}

/// Writes the hash file leptos reads to name the assets in every page, and returns its
/// absolute path: in the site root when it can be written there, otherwise in the temporary
/// folder (a read-only deployment).
pub fn write_hash_file(site_root: &Path, manifest: &AssetManifest) -> std::io::Result<PathBuf> {
    let text = manifest.to_hash_txt();
    let beside_site = std::path::absolute(site_root.join("hash.txt"))?;
    // Written aside and renamed: another server on the same site may be reading it.
    let aside = beside_site.with_extension(format!("{}.tmp", std::process::id()));
    if std::fs::read_to_string(&beside_site).is_ok_and(|t| t == text)
        || (std::fs::write(&aside, &text).is_ok() && std::fs::rename(&aside, &beside_site).is_ok())
    {
        return Ok(beside_site);
    }
    let _ = std::fs::remove_file(&aside);
    let elsewhere = std::env::temp_dir().join(format!("cartobarrio-{}-hash.txt", std::process::id()));
    std::fs::write(&elsewhere, &text)?;
    Ok(elsewhere)
}

/// Identifies one deployment: the asset hashes plus an optional build id given by the
/// operator (`CARTOBARRIO_BUILD_ID`), e.g. to roll out a server-only change to the worker.
pub fn deployment_version(manifest: Option<&AssetManifest>, build_id: &str) -> String {
    let base = match manifest {
        Some(m) => {
            let mut v = format!("{}{}{}", &m.js[..m.js.len().min(6)], &m.wasm[..m.wasm.len().min(6)], &m.css[..m.css.len().min(6)]);
            // The loader names every chunk by its hash: a chunk that changed changes it.
            if let Some(split) = &m.split {
                v.push_str(&split.loader[..split.loader.len().min(6)]);
            }
            v
        }
        None => "dev".to_string(),
    };
    if build_id.is_empty() {
        base
    } else {
        format!("{base}-{build_id}")
    }
}

const SERVICE_WORKER: &str = include_str!("service_worker.js");

/// The service worker for this deployment, with its version and precache list filled in.
pub fn service_worker(version: &str, precache: &[String]) -> String {
    let list = serde_json::to_string(precache).unwrap_or_else(|_| "[]".into());
    let version = serde_json::to_string(version).unwrap_or_else(|_| "\"dev\"".into());
    SERVICE_WORKER.replacen("\"__VERSION__\"", &version, 1).replacen("[/* __PRECACHE__ */]", &list, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built() -> AssetManifest {
        AssetManifest {
            js: "86X_9MN0tOpGleFkbJFdTA".into(),
            wasm: "36uHyWsD_tsrcSklAbPnPQ".into(),
            css: "LzIEyzU7toU9geBOoRqkkQ".into(),
            split: None,
        }
    }

    #[test]
    fn the_files_a_first_visit_downloads_carry_their_hashes() {
        assert_eq!(built().pkg_files("cartobarrio")[1], "/pkg/cartobarrio.36uHyWsD_tsrcSklAbPnPQ.wasm");
    }

    fn site(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        for f in files {
            std::fs::write(dir.path().join("pkg").join(f), "x").unwrap();
        }
        dir
    }

    #[test]
    fn the_hashed_names_come_from_the_site_wherever_the_binary_is() {
        let dir = site(&["cartobarrio.AAA.js", "cartobarrio.BBB.wasm", "cartobarrio.CCC.css", "otra.DDD.js", "cartobarrio.AAA.js.map"]);
        // Written last, so the newest: a name that is no hash is never put in a page.
        std::fs::write(dir.path().join("pkg/cartobarrio.a$b.js"), "x").unwrap();
        let found = SiteAssets::find(dir.path(), "cartobarrio").unwrap();
        assert_eq!(found, SiteAssets::Hashed(AssetManifest { js: "AAA".into(), wasm: "BBB".into(), css: "CCC".into(), split: None }));
        let path = write_hash_file(dir.path(), found.manifest().unwrap()).unwrap();
        assert!(path.is_absolute());
        assert_eq!(std::fs::read_to_string(path).unwrap(), "js: AAA\nwasm: BBB\ncss: CCC\n");
    }

    #[test]
    fn a_split_build_names_its_chunk_loader_and_manifest_in_the_hash_file() {
        let dir = site(&[
            "cartobarrio.AAA.js",
            "cartobarrio.BBB.wasm",
            "cartobarrio.CCC.css",
            "__wasm_split.DDD.js",
            "__wasm_split_manifest.EEE.json",
            "split___admin_route_view_1.FFF.wasm",
            "chunk_3.GGG.wasm",
        ]);
        let found = SiteAssets::find(dir.path(), "cartobarrio").unwrap();
        let manifest = found.manifest().unwrap();
        assert_eq!(manifest.split, Some(SplitAssets { loader: "DDD".into(), manifest: "EEE".into() }));
        assert_eq!(manifest.to_hash_txt(), "js: AAA\nwasm: BBB\ncss: CCC\nmanifest: EEE\nsplit: DDD\n");
        let first_load = manifest.pkg_files("cartobarrio");
        assert!(first_load.contains(&"/pkg/__wasm_split.DDD.js".to_string()), "{first_load:?}");
        assert!(!first_load.iter().any(|f| f.contains("split___") || f.contains("chunk_")), "chunks load on demand: {first_load:?}");
    }

    #[test]
    fn the_chunks_of_precached_pages_come_from_the_split_manifest_once_each() {
        let dir = site(&[]);
        let manifest = r#"{"room_pages_17":["chunk_1.A","split_room_pages_17.B"],
            "__projector_route_view_17":["chunk_1.A","chunk_2.C"],"staff_pages_17":["chunk_9.Z"],
            "room_pages_extra_17":["chunk_8.Y"]}"#;
        std::fs::write(dir.path().join("pkg/__wasm_split_manifest.M.json"), manifest).unwrap();
        let split = SplitAssets { loader: "L".into(), manifest: "M".into() };
        let chunks = chunks_of(dir.path(), &split, &["room_pages", "projector_route"]);
        // `room_pages_extra` only begins like `room_pages`: another split point, left out.
        assert_eq!(chunks, ["/pkg/chunk_1.A.wasm", "/pkg/chunk_2.C.wasm", "/pkg/split_room_pages_17.B.wasm"]);
        let missing = SplitAssets { loader: "L".into(), manifest: "nada".into() };
        assert!(chunks_of(dir.path(), &missing, &["workshops_route"]).is_empty());
    }

    #[test]
    fn a_development_build_has_plain_names_and_a_missing_build_is_an_error_that_says_what_is_missing() {
        let dir = site(&["cartobarrio.js", "cartobarrio.wasm", "cartobarrio.css"]);
        assert_eq!(SiteAssets::find(dir.path(), "cartobarrio").unwrap(), SiteAssets::Plain);
        let dir = site(&["cartobarrio.AAA.js", "cartobarrio.BBB.wasm"]);
        let err = SiteAssets::find(dir.path(), "cartobarrio").unwrap_err().to_string();
        assert!(err.contains("cartobarrio.*.css") && err.contains("--site-root"), "{err}");
        let empty = tempfile::tempdir().unwrap();
        assert!(SiteAssets::find(empty.path(), "cartobarrio").is_err());
    }

    #[test]
    fn every_build_gets_a_different_worker() {
        let a = built();
        let b = AssetManifest { wasm: "Zz9".into(), ..a.clone() };
        let va = deployment_version(Some(&a), "");
        let vb = deployment_version(Some(&b), "");
        assert_ne!(va, vb);
        assert_ne!(deployment_version(Some(&a), "2"), va);
        let sw = service_worker(&va, &a.pkg_files("cartobarrio"));
        assert!(sw.contains(&format!("const VERSION = \"{va}\";")), "{}", &sw[..200]);
        assert!(sw.contains("/pkg/cartobarrio.86X_9MN0tOpGleFkbJFdTA.js"));
        assert!(!sw.contains("__PRECACHE__") && !sw.contains("__VERSION__"));
    }
}
