//! The stylesheet of the pages loaded on demand (staff, public pages, printed documents): a file
//! of its own, fetched with the first such page, so it never rides in a participant's first load.

use leptos::prelude::*;
use leptos_meta::Stylesheet;

/// Where the server serves it, named by a hash of its content (see `app/build.rs`): cached as
/// immutable, and a new version is a new name.
pub const HREF: &str = concat!("/pkg/staff.", env!("CARTOBARRIO_STAFF_CSS_HASH"), ".css");

/// Its content, for the server to serve.
#[cfg(feature = "ssr")]
pub const CSS: &str = include_str!("../../style/staff.css");

/// Links the on-demand stylesheet into the page's head while the page is shown.
#[component]
pub fn StaffStylesheet() -> impl IntoView {
    view! { <Stylesheet id="staff-css" href=HREF/> }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use std::path::{Path, PathBuf};

    /// Source files of the pages that bring the on-demand stylesheet (`lazy_page! { on_demand: … }`
    /// in `pages/mod.rs`) and of what only they use; a file or folder ending in `/` covers all
    /// under it.
    const ON_DEMAND: &[&str] = &[
        "pages/admin.rs",
        "pages/login.rs",
        "pages/staff.rs",
        "pages/diagnostico.rs",
        "pages/report.rs",
        "pages/report_sections.rs",
        "pages/publish.rs",
        "pages/public.rs",
        "pages/ruta.rs",
        "pages/ruta_barrio.rs",
        "pages/acta.rs",
        "pages/intervencion.rs",
        "pages/miniauditoria.rs",
        "pages/miniauditoria_informe.rs",
        "pages/remapeo.rs",
        "pages/inscripcion.rs",
        "pages/inscripciones.rs",
        "pages/cbsc_panel.rs",
        "pages/balance/",
        "pages/pacto/",
        "components/document.rs",
    ];

    fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    fn classes(selector: &str) -> Vec<&str> {
        selector
            .split('.')
            .skip(1)
            .map(|s| s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_')).next().unwrap_or(""))
            .filter(|c| c.chars().next().is_some_and(char::is_alphabetic))
            .collect()
    }

    /// Every rule of the on-demand sheet needs, in each of its selectors, a class no page on the
    /// participants' path uses: otherwise a participant's page would lose a style it needs.
    #[test]
    fn the_on_demand_sheet_styles_nothing_on_the_participants_path() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let participant: String = files
            .iter()
            .filter(|f| {
                let rel = f.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
                !ON_DEMAND.iter().any(|p| if p.ends_with('/') { rel.starts_with(p) } else { rel == *p })
            })
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect();
        let used = |class: &str| {
            participant.match_indices(class).any(|(i, _)| {
                let before = participant[..i].chars().next_back().unwrap_or(' ');
                let after = participant[i + class.len()..].chars().next().unwrap_or(' ');
                let part = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
                !part(before) && !part(after)
            })
        };
        let mut css = super::CSS.to_string();
        while let Some(start) = css.find("/*") {
            let end = css[start..].find("*/").map_or(css.len(), |e| start + e + 2);
            css.replace_range(start..end, "");
        }
        let mut offenders = Vec::new();
        // Selectors are what precedes a `{` and follows a `}`, a `;` or another `{` (@media).
        for chunk in css.split('{') {
            let selector = chunk.rsplit(['}', ';']).next().unwrap_or("").trim();
            if selector.is_empty() || selector.starts_with('@') {
                continue;
            }
            for part in selector.split(',') {
                if !classes(part).iter().any(|c| !used(c)) {
                    offenders.push(part.trim().to_string());
                }
            }
        }
        assert!(offenders.is_empty(), "rules of style/staff.css that would style participants' pages: {offenders:?}");
    }
}
