//! Pure maths of the map's viewport: zoom about a point, pan, limits around the barrio, and
//! a scale bar with a round length.

use super::projection::ViewBox;

/// The closest the map zooms in: 60 m across, about a block.
pub const MIN_WIDTH_M: f64 = 60.0;
/// Ground metres per screen pixel when a barrio opens: a fingertip (about 44 px) covers some
/// 20 m, a house or two, so a tap lands where it was meant.
pub const START_GROUND_M_PER_PX: f64 = 0.5;
/// How far out it zooms, as a multiple of the barrio's fitted view.
pub const MAX_ZOOM_OUT: f64 = 3.0;

impl ViewBox {
    /// Zooms by `factor` (> 1 zooms in) keeping the point `(x, y)` where it is on screen,
    /// within the limits set by `home` (the barrio's fitted view).
    pub fn zoom_about(&self, factor: f64, x: f64, y: f64, home: &ViewBox) -> ViewBox {
        let max_width = home.width * MAX_ZOOM_OUT;
        let min_width = MIN_WIDTH_M.min(home.width);
        let width = (self.width / factor).clamp(min_width, max_width);
        let k = width / self.width;
        let zoomed = ViewBox { x: x - (x - self.x) * k, y: y - (y - self.y) * k, width, height: self.height * k };
        zoomed.clamped_to(home)
    }

    /// The view a barrio opens at on a screen of `size` CSS pixels: centred on `(x, y)` and
    /// zoomed to [`START_GROUND_M_PER_PX`], or the whole barrio (`self`) if that is closer.
    /// `ground_per_unit` is ground metres per map unit.
    pub fn start_view(&self, x: f64, y: f64, size: (f64, f64), ground_per_unit: f64) -> ViewBox {
        let (w, h) = (size.0.max(1.0), size.1.max(1.0));
        let upp = START_GROUND_M_PER_PX / ground_per_unit.max(1e-9);
        let (width, height) = (w * upp, h * upp);
        // "meet": the whole barrio is at least as close as this already.
        if self.width / w <= upp && self.height / h <= upp {
            return *self;
        }
        ViewBox { x: x - width / 2.0, y: y - height / 2.0, width, height }.clamped_to(self)
    }

    /// Zooms by `factor` about the view's centre, as the + and − buttons do.
    pub fn zoom_centre(&self, factor: f64, home: &ViewBox) -> ViewBox {
        self.zoom_about(factor, self.x + self.width / 2.0, self.y + self.height / 2.0, home)
    }

    /// Moves the view by `(dx, dy)` map units.
    pub fn pan(&self, dx: f64, dy: f64, home: &ViewBox) -> ViewBox {
        ViewBox { x: self.x + dx, y: self.y + dy, ..*self }.clamped_to(home)
    }

    /// Keeps the view's centre over the barrio (with its padding), so it cannot be lost.
    fn clamped_to(&self, home: &ViewBox) -> ViewBox {
        let cx = (self.x + self.width / 2.0).clamp(home.x, home.x + home.width);
        let cy = (self.y + self.height / 2.0).clamp(home.y, home.y + home.height);
        ViewBox { x: cx - self.width / 2.0, y: cy - self.height / 2.0, ..*self }
    }
}

/// How a view box sits in an element of `size` CSS pixels with `preserveAspectRatio="xMidYMid
/// meet"`: pixels per unit, and where the view's corner lands.
pub fn layout(view: &ViewBox, size: (f64, f64)) -> (f64, f64, f64) {
    let s = (size.0 / view.width.max(1e-9)).min(size.1 / view.height.max(1e-9));
    (s, (size.0 - view.width * s) / 2.0, (size.1 - view.height * s) / 2.0)
}

/// A point of the element (CSS pixels from its top-left corner) in map units under `view`.
pub fn px_to_units(view: &ViewBox, size: (f64, f64), px: f64, py: f64) -> (f64, f64) {
    let (s, ox, oy) = layout(view, size);
    (view.x + (px - ox) / s, view.y + (py - oy) / s)
}

/// The CSS transform `(scale, tx, ty)`, with origin at the top-left corner, that shows content
/// drawn for `from` as it would be drawn for `to`. During a gesture the map moves this way —
/// the browser only moves pixels it already has — and is redrawn once, at the end.
pub fn transform_between(from: &ViewBox, to: &ViewBox, size: (f64, f64)) -> (f64, f64, f64) {
    let (s0, ox0, oy0) = layout(from, size);
    let (s1, ox1, oy1) = layout(to, size);
    let k = s1 / s0;
    (k, ox1 - ox0 * k + (from.x - to.x) * s1, oy1 - oy0 * k + (from.y - to.y) * s1)
}

/// A scale bar: the round ground distance (metres) that fits in about `target_px` pixels,
/// and its length in pixels. `ground_m_per_px` is metres on the ground per CSS pixel.
pub fn scale_bar(ground_m_per_px: f64, target_px: f64) -> (f64, f64) {
    const STEPS: [f64; 14] = [5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0, 2500.0, 5000.0, 10000.0];
    let wanted = ground_m_per_px * target_px;
    let metres = STEPS.iter().rev().copied().find(|s| *s <= wanted).unwrap_or(STEPS[0]);
    (metres, metres / ground_m_per_px)
}

/// "50 m", "1 km", "2,5 km".
pub fn scale_label(metres: f64) -> String {
    if metres >= 1000.0 {
        format!("{} km", metres / 1000.0).replace('.', ",")
    } else {
        format!("{metres} m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: ViewBox = ViewBox { x: -500.0, y: -400.0, width: 1000.0, height: 800.0 };

    #[test]
    fn the_gesture_transform_puts_every_point_where_the_new_view_draws_it() {
        let size = (360.0, 500.0);
        let from = HOME;
        let to = HOME.pan(120.0, -40.0, &HOME).zoom_about(2.5, 30.0, 10.0, &HOME);
        let (k, tx, ty) = transform_between(&from, &to, size);
        for (x, y) in [(0.0, 0.0), (-300.0, 250.0), (400.0, -380.0)] {
            let (s0, ox0, oy0) = layout(&from, size);
            let (s1, ox1, oy1) = layout(&to, size);
            let p0 = (ox0 + (x - from.x) * s0, oy0 + (y - from.y) * s0);
            let p1 = (ox1 + (x - to.x) * s1, oy1 + (y - to.y) * s1);
            let moved = (p0.0 * k + tx, p0.1 * k + ty);
            assert!((moved.0 - p1.0).abs() < 1e-9 && (moved.1 - p1.1).abs() < 1e-9, "{moved:?} vs {p1:?}");
            let back = px_to_units(&to, size, p1.0, p1.1);
            assert!((back.0 - x).abs() < 1e-9 && (back.1 - y).abs() < 1e-9);
        }
        assert_eq!(transform_between(&from, &from, size), (1.0, 0.0, 0.0));
    }

    #[test]
    fn a_barrio_opens_with_a_fingertip_a_house_or_two_wide() {
        // A 1000 m wide barrio on a 360 px phone: 2.8 m per pixel if shown whole.
        let size = (360.0, 420.0);
        let v = HOME.start_view(100.0, 50.0, size, 1.0);
        let m_per_px = (v.width / size.0).max(v.height / size.1);
        assert!((m_per_px - START_GROUND_M_PER_PX).abs() < 1e-9, "{m_per_px}");
        assert!((44.0 * m_per_px - 22.0).abs() < 1e-9, "a 44 px fingertip covers 22 m");
        assert_eq!((v.x + v.width / 2.0, v.y + v.height / 2.0), (100.0, 50.0), "centred where asked");
        // Mercator units are shorter than ground metres away from the equator.
        let south = HOME.start_view(0.0, 0.0, size, 0.98);
        assert!((south.width / size.0 * 0.98 - START_GROUND_M_PER_PX).abs() < 1e-9);
        // A tiny barrio already that close opens whole; a centre off the barrio is pulled back.
        let small = ViewBox { x: 0.0, y: 0.0, width: 100.0, height: 100.0 };
        assert_eq!(small.start_view(50.0, 50.0, size, 1.0), small);
        let off = HOME.start_view(5000.0, 5000.0, size, 1.0);
        assert_eq!((off.x + off.width / 2.0, off.y + off.height / 2.0), (HOME.x + HOME.width, HOME.y + HOME.height));
    }

    #[test]
    fn zooming_in_keeps_the_point_under_the_finger() {
        let v = HOME.zoom_about(2.0, 100.0, 50.0, &HOME);
        assert_eq!(v.width, 500.0);
        // The point keeps its relative position in the view.
        let before = ((100.0 - HOME.x) / HOME.width, (50.0 - HOME.y) / HOME.height);
        let after = ((100.0 - v.x) / v.width, (50.0 - v.y) / v.height);
        assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
    }

    #[test]
    fn the_buttons_zoom_about_the_centre_and_keep_the_shape() {
        let v = HOME.zoom_centre(1.6, &HOME);
        assert!((v.x + v.width / 2.0).abs() < 1e-9 && (v.y + v.height / 2.0).abs() < 1e-9);
        assert!((v.width / v.height - HOME.width / HOME.height).abs() < 1e-9);
        assert!((v.zoom_centre(1.0 / 1.6, &HOME).width - HOME.width).abs() < 1e-9);
    }

    #[test]
    fn zoom_stops_at_a_block_and_at_three_times_the_barrio() {
        let deep = HOME.zoom_about(1000.0, 0.0, 0.0, &HOME);
        assert_eq!(deep.width, MIN_WIDTH_M);
        let far = HOME.zoom_about(0.001, 0.0, 0.0, &HOME);
        assert_eq!(far.width, 3000.0);
    }

    #[test]
    fn panning_cannot_lose_the_barrio() {
        let v = HOME.zoom_about(4.0, 0.0, 0.0, &HOME).pan(1e6, -1e6, &HOME);
        let (cx, cy) = (v.x + v.width / 2.0, v.y + v.height / 2.0);
        assert_eq!((cx, cy), (HOME.x + HOME.width, HOME.y));
    }

    #[test]
    fn scale_bars_use_round_lengths() {
        assert_eq!(scale_bar(1.0, 100.0), (100.0, 100.0));
        assert_eq!(scale_bar(3.0, 100.0), (250.0, 250.0 / 3.0));
        assert_eq!(scale_label(50.0), "50 m");
        assert_eq!(scale_label(2500.0), "2,5 km");
    }
}
