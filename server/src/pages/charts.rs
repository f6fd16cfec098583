//! Inline SVG charts for the public statistics page: no script, no
//! library, text a screen reader can read (`role="img"` with a title, and
//! every value written on its bar).

use maud::{Markup, html};

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

/// A coordinate as written in the SVG.
fn at(value: f64) -> String {
    format!("{value:.1}")
}

/// Grouped columns, one group per label; `format` writes a value.
pub fn columns(title: &str, labels: &[String], series: &[Series<'_>], format: fn(f64) -> String) -> Markup {
    let max = series.iter().flat_map(|s| s.values.iter().flatten()).fold(0.0_f64, |a, b| a.max(*b)).max(1.0);
    let group = (WIDTH - LEFT * 2.0) / labels.len().max(1) as f64;
    let bar = (group * 0.8) / series.len().max(1) as f64;
    let group_x = |g: usize| LEFT + g as f64 * group + group * 0.1;
    let legend_x = |i: usize| LEFT + i as f64 * 120.0;
    let body = html! {
        @for (i, s) in series.iter().enumerate() {
            rect x=(legend_x(i)) y="4" width="12" height="12" fill=(s.colour) {}
            text x=(legend_x(i) + 16.0) y="15" { (s.name) }
        }
        @for (g, label) in labels.iter().enumerate() {
            @for (i, s) in series.iter().enumerate() {
                // No data draws nothing; a zero draws its label on the axis.
                @if let Some(Some(value)) = s.values.get(g) {
                    @let h = value / max * PLOT;
                    @let x = group_x(g) + i as f64 * bar;
                    @let y = TOP + PLOT - h;
                    rect x=(at(x)) y=(at(y)) width=(at((bar - 1.0).max(1.0))) height=(at(h)) fill=(s.colour) {}
                    text x=(at(x + bar / 2.0)) y=(at(y - 2.0)) text-anchor="middle" font-size="11" { (format(*value)) }
                }
            }
            text x=(at(group_x(g) + group * 0.4)) y=(at(TOP + PLOT + 16.0)) text-anchor="middle" { (label) }
        }
        line x1=(LEFT) x2=(WIDTH - LEFT) y1=(TOP + PLOT) y2=(TOP + PLOT) stroke="#999" {}
    };
    chart(title, TOP + PLOT + BOTTOM, body)
}

/// Horizontal bars, one row per item, longest = the largest value.
pub fn rows(title: &str, items: &[(String, f64)], colour: &str, format: fn(f64) -> String) -> Markup {
    const ROW: f64 = 24.0;
    const LABEL: f64 = 118.0;
    let max = items.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max).max(1.0);
    let span = WIDTH - LABEL - 44.0;
    let body = html! {
        @for (i, (label, value)) in items.iter().enumerate() {
            @let y = 4.0 + i as f64 * ROW;
            @let w = value / max * span;
            text x=(at(LABEL - 6.0)) y=(at(y + 15.0)) text-anchor="end" { (label) }
            rect x=(LABEL) y=(at(y + 3.0)) width=(at(w)) height=(at(ROW - 6.0)) fill=(colour) {}
            text x=(at(LABEL + w + 4.0)) y=(at(y + 15.0)) { (format(*value)) }
        }
    };
    chart(title, items.len() as f64 * ROW + 8.0, body)
}

fn chart(title: &str, height: f64, body: Markup) -> Markup {
    html! {
        svg viewBox={ "0 0 " (WIDTH) " " (format!("{height:.0}")) } role="img" aria-label=(title)
            font-size="13" fill="#1d1d1f" {
            title { (title) }
            (body)
        }
    }
}

/// A count as written on a bar.
pub fn count(value: f64) -> String {
    format!("{value:.0}")
}

/// A fraction 0–1 as a percentage.
pub fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}
