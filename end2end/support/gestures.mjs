// Synthetic touch gestures on the map, sent as the Pointer Events a finger would send.

/**
 * Two fingers `from` px either side of (cx, cy) spreading to `to` px (or closing, if smaller),
 * on the map `selector` finds (the barrio map unless told).
 */
export async function pinch(page, cx, cy, from, to, steps = 6, selector = 'svg.map') {
  await page.evaluate(({ cx, cy, from, to, steps, selector }) => {
    const svg = document.querySelector(selector);
    const fire = (type, id, x, y) =>
      svg.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: 'touch', clientX: x, clientY: y, bubbles: true, isPrimary: id === 1 }));
    fire('pointerdown', 1, cx - from, cy);
    fire('pointerdown', 2, cx + from, cy);
    for (let i = 1; i <= steps; i++) {
      const d = from + ((to - from) * i) / steps;
      fire('pointermove', 1, cx - d, cy);
      fire('pointermove', 2, cx + d, cy);
    }
    fire('pointerup', 1, cx - to, cy);
    fire('pointerup', 2, cx + to, cy);
  }, { cx, cy, from, to, steps, selector });
}

/** One finger from (x, y) moved by (dx, dy), on the map `selector` finds. */
export async function drag(page, x, y, dx, dy, steps = 8, selector = 'svg.map') {
  await page.evaluate(({ x, y, dx, dy, steps, selector }) => {
    const svg = document.querySelector(selector);
    const fire = (type, px, py) =>
      svg.dispatchEvent(new PointerEvent(type, { pointerId: 7, pointerType: 'touch', clientX: px, clientY: py, bubbles: true, isPrimary: true }));
    fire('pointerdown', x, y);
    for (let i = 1; i <= steps; i++) fire('pointermove', x + (dx * i) / steps, y + (dy * i) / steps);
    fire('pointerup', x + dx, y + dy);
  }, { x, y, dx, dy, steps, selector });
}
