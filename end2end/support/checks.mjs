// Checks every participant screen must pass: hydration never panics, and nothing is wider than
// the phone it is on.

/**
 * Collects what shows that the wasm app died: a Rust panic (tachys' hydration mismatch is an
 * `unreachable` in release builds, a "panicked at" in debug ones) or a trap. Any console
 * message counts, whatever its level, so a panic logged as a warning is not missed either.
 */
export function collectPanics(page) {
  const panics = [];
  const fatal = /unreachable|panicked|RuntimeError|hydration error/i;
  page.on('pageerror', (e) => {
    if (fatal.test(String(e))) panics.push(`${page.url()}: ${e}`);
  });
  page.on('console', (m) => {
    if (fatal.test(m.text())) panics.push(`${page.url()}: [${m.type()}] ${m.text()}`);
  });
  return panics;
}

/**
 * What is wider than the viewport, and whether the page itself can be slid sideways; empty
 * when the page fits. What a narrower box clips or scrolls sideways on purpose (the category
 * strip, the drawing inside the SVG map) is that box's business, not the page's.
 */
export async function overflowing(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const clipped = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const clips = a.tagName.toLowerCase() === 'svg' || getComputedStyle(a).overflowX !== 'visible';
        if (clips && a.getBoundingClientRect().width <= vw + 0.5) return true;
      }
      return false;
    };
    const found = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.width > vw + 0.5 && !clipped(el)) {
        const what = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
        found.push(`${what} is ${Math.round(r.width)} px wide`);
      }
    }
    const scroll = document.documentElement.scrollWidth;
    if (scroll > vw) found.push(`the page is ${scroll} px wide in a ${vw} px viewport`);
    return found;
  });
}
