//! Inline SVG charts for the public statistics page: no script, no
//! library, text a screen reader can read (`role="img"` with a title, and
//! every value written on its bar).

use crate::pages::public::escape;

/// One series of a column chart.
pub struct Series<'a> {
    pub name: &'a str,
    pub colour: &'a str,
    /// One value per label; `None` draws nothing (no data, not zero).
    pub values: Vec<Option<f64>>,
}

/// Drawn for a phone's width; the page lays charts two abreast on wider
/// screens, so text stays readable at both.
const WIDTH: f64 = 420.0;
const LEFT: f64 = 8.0;
const TOP: f64 = 26.0;
const PLOT: f64 = 130.0;
const BOTTOM: f64 = 24.0;

/// Grouped columns, one group per label; `format` writes a value.
pub fn columns(title: &str, labels: &[String], series: &[Series<'_>], format: fn(f64) -> String) -> String {
    let max = series.iter().flat_map(|s| s.values.iter().flatten()).fold(0.0_f64, |a, b| a.max(*b)).max(1.0);
    let group = (WIDTH - LEFT * 2.0) / labels.len().max(1) as f64;
    let bar = (group * 0.8) / series.len().max(1) as f64;
    let height = TOP + PLOT + BOTTOM;
    let mut svg = open(title, height);
    for (i, s) in series.iter().enumerate() {
        let x = LEFT + i as f64 * 120.0;
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"15\">{}</text>",
            s.colour,
            x + 16.0,
            escape(s.name)
        ));
    }
    for (g, label) in labels.iter().enumerate() {
        let gx = LEFT + g as f64 * group + group * 0.1;
        for (i, s) in series.iter().enumerate() {
            // No data draws nothing; a zero draws its label on the axis.
            let Some(Some(value)) = s.values.get(g) else { continue };
            let h = value / max * PLOT;
            let x = gx + i as f64 * bar;
            let y = TOP + PLOT - h;
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>",
                (bar - 1.0).max(1.0),
                s.colour,
                x + bar / 2.0,
                y - 2.0,
                format(*value)
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            gx + group * 0.4,
            TOP + PLOT + 16.0,
            escape(label)
        ));
    }
    svg.push_str(&format!(
        "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#999\"/></svg>",
        WIDTH - LEFT,
        TOP + PLOT,
        TOP + PLOT
    ));
    svg
}

/// Horizontal bars, one row per item, longest = the largest value.
pub fn rows(title: &str, items: &[(String, f64)], colour: &str, format: fn(f64) -> String) -> String {
    const ROW: f64 = 24.0;
    const LABEL: f64 = 118.0;
    let max = items.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max).max(1.0);
    let span = WIDTH - LABEL - 44.0;
    let mut svg = open(title, items.len() as f64 * ROW + 8.0);
    for (i, (label, value)) in items.iter().enumerate() {
        let y = 4.0 + i as f64 * ROW;
        let w = value / max * span;
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            LABEL - 6.0,
            y + 15.0,
            escape(label),
            y + 3.0,
            ROW - 6.0,
            LABEL + w + 4.0,
            y + 15.0,
            format(*value)
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn open(title: &str, height: f64) -> String {
    format!(
        "<svg viewBox=\"0 0 {WIDTH} {height:.0}\" role=\"img\" aria-label=\"{0}\" \
         font-size=\"13\" fill=\"#1d1d1f\"><title>{0}</title>",
        escape(title)
    )
}

/// A count as written on a bar.
pub fn count(value: f64) -> String {
    format!("{value:.0}")
}

/// A fraction 0–1 as a percentage.
pub fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}
