//! The build's hashed asset names (cargo-leptos `hash-files` writes `hash.txt` beside the
//! server binary) and the service worker generated from them, so every deployment gets a
//! worker whose bytes differ and which precaches exactly the files that deployment serves.

use std::path::Path;

/// Hashes of the built JS, wasm and CSS, as cargo-leptos names them (`cartobarrio.{hash}.js`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetManifest {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

impl AssetManifest {
    /// Parses `hash.txt` (`js: …`, `wasm: …`, `css: …` lines). `None` if any is missing.
    pub fn parse(text: &str) -> Option<AssetManifest> {
        let mut js = None;
        let mut wasm = None;
        let mut css = None;
        for line in text.lines() {
            let Some((kind, hash)) = line.split_once(':') else {
                continue;
            };
            let hash = hash.trim();
            if hash.is_empty() || !hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                continue;
            }
            match kind.trim() {
                "js" => js = Some(hash.to_string()),
                "wasm" => wasm = Some(hash.to_string()),
                "css" => css = Some(hash.to_string()),
                _ => {}
            }
        }
        Some(AssetManifest { js: js?, wasm: wasm?, css: css? })
    }

    /// Reads `hash.txt` beside the running executable, where leptos itself looks for it.
    pub fn beside_executable() -> Option<AssetManifest> {
        let exe = std::env::current_exe().ok()?;
        Self::load(&exe.parent()?.join("hash.txt"))
    }

    pub fn load(path: &Path) -> Option<AssetManifest> {
        Self::parse(&std::fs::read_to_string(path).ok()?)
    }

    /// The files under `/pkg` a first visit downloads.
    pub fn pkg_files(&self, output_name: &str) -> [String; 3] {
        [
            format!("/pkg/{output_name}.{}.js", self.js),
            format!("/pkg/{output_name}.{}.wasm", self.wasm),
            format!("/pkg/{output_name}.{}.css", self.css),
        ]
    }
}

/// Identifies one deployment: the asset hashes plus an optional build id given by the
/// operator (`CARTOBARRIO_BUILD_ID`), e.g. to roll out a server-only change to the worker.
pub fn deployment_version(manifest: Option<&AssetManifest>, build_id: &str) -> String {
    let base = match manifest {
        Some(m) => format!("{}{}{}", &m.js[..m.js.len().min(6)], &m.wasm[..m.wasm.len().min(6)], &m.css[..m.css.len().min(6)]),
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

    const HASHES: &str = "js: 86X_9MN0tOpGleFkbJFdTA\nwasm: 36uHyWsD_tsrcSklAbPnPQ\ncss: LzIEyzU7toU9geBOoRqkkQ\n";

    #[test]
    fn hash_txt_is_parsed() {
        let m = AssetManifest::parse(HASHES).unwrap();
        assert_eq!(m.pkg_files("cartobarrio")[1], "/pkg/cartobarrio.36uHyWsD_tsrcSklAbPnPQ.wasm");
    }

    #[test]
    fn a_partial_hash_file_is_not_a_manifest() {
        assert!(AssetManifest::parse("js: abc\n").is_none());
        assert!(AssetManifest::parse("js: a/b\nwasm: c\ncss: d").is_none(), "no path characters in hashes");
    }

    #[test]
    fn every_build_gets_a_different_worker() {
        let a = AssetManifest::parse(HASHES).unwrap();
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
