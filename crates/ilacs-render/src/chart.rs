//! Server-rendered SVG charts. Each is an image with a title and description for
//! screen readers, and the page always gives the same data as a table.

use chrono::{Datelike, NaiveDate};
use ilacs_domain::grade::Grade;
use std::fmt::Write;

/// One graded judgement at one inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    pub date: NaiveDate,
    pub series: String,
    pub grade: Grade,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

// Colours from the GOV.UK palette with 3:1 contrast on white; shapes differ too, so
// colour is never the only cue.
const SERIES_STYLE: &[(&str, &str)] = &[
    ("#0b0c0c", "circle"),
    ("#1d70b8", "square"),
    ("#00703c", "diamond"),
    ("#d4351c", "triangle"),
    ("#4c2c92", "circle-open"),
];

const WIDTH: f64 = 680.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 170.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 90.0;

fn marker(out: &mut String, shape: &str, x: f64, y: f64, colour: &str) {
    let _ = match shape {
        "square" => write!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="10" height="10" fill="{colour}"/>"#,
            x - 5.0,
            y - 5.0
        ),
        "diamond" => write!(
            out,
            r#"<polygon points="{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}" fill="{colour}"/>"#,
            y - 7.0,
            x + 7.0,
            y + 7.0,
            x - 7.0
        ),
        "triangle" => write!(
            out,
            r#"<polygon points="{x:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{colour}"/>"#,
            y - 7.0,
            x + 6.0,
            y + 5.0,
            x - 6.0,
            y + 5.0
        ),
        "circle-open" => write!(
            out,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="#ffffff" stroke="{colour}" stroke-width="2"/>"##
        ),
        _ => write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="{colour}"/>"#
        ),
    };
}

/// Opens an accessible SVG image: its title and description, with ids from `id` so
/// that many charts can share a page.
fn svg_open(
    out: &mut String,
    id: &str,
    (width, height): (f64, f64),
    title: &str,
    description: &str,
) {
    let id = escape(id);
    let _ = write!(
        out,
        r#"<svg class="ilacs-chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg" font-family="arial, sans-serif" font-size="14"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(description)
    );
}

/// One legend entry: the series' marker and its name.
fn legend_entry(out: &mut String, (x, y): (f64, f64), (colour, shape): (&str, &str), name: &str) {
    marker(out, shape, x + 6.0, y - 5.0, colour);
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="{y:.1}" fill="#0b0c0c">{}</text>"##,
        x + 18.0,
        escape(name)
    );
}

/// A chart of judgements over time, from 2018 (when ILACS began) to `until`: one row
/// per grade (outstanding at the top), one marked line per judgement. Returns an empty
/// string when there is nothing to plot.
pub fn judgement_history_svg(
    title: &str,
    description: &str,
    points: &[ChartPoint],
    until: NaiveDate,
) -> String {
    let (Some(first), Some(last)) = (
        points.iter().map(|p| p.date).min(),
        points.iter().map(|p| p.date).max(),
    ) else {
        return String::new();
    };
    let start_year = first.year().min(2018);
    let end_year = last.year().max(until.year()) + 1;
    let span = f64::from((end_year - start_year).max(1));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x_of = |d: NaiveDate| {
        let years = f64::from(d.year() - start_year) + f64::from(d.ordinal0()) / 366.0;
        LEFT + plot_w * years / span
    };
    let row_h = plot_h / 4.0;
    let y_of = |g: Grade| {
        TOP + row_h * (Grade::ALL.iter().position(|x| *x == g).unwrap_or(0) as f64 + 0.5)
    };

    let mut series: Vec<&str> = Vec::new();
    for p in points {
        if !series.contains(&p.series.as_str()) {
            series.push(&p.series);
        }
    }

    let mut out = String::new();
    svg_open(&mut out, "chart", (WIDTH, HEIGHT), title, description);
    for (i, grade) in Grade::ALL.iter().enumerate() {
        let y = TOP + row_h * i as f64;
        let fill = if i % 2 == 0 { "#f3f2f1" } else { "#ffffff" };
        let _ = write!(
            out,
            r##"<rect x="{LEFT}" y="{y:.1}" width="{plot_w:.1}" height="{row_h:.1}" fill="{fill}"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#0b0c0c">{}</text>"##,
            LEFT - 8.0,
            y + row_h / 2.0 + 5.0,
            grade.short_label()
        );
    }
    for year in start_year..=end_year {
        let x = LEFT + plot_w * f64::from(year - start_year) / span;
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="#b1b4b6" stroke-width="1"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#0b0c0c">{year}</text>"##,
            TOP + plot_h,
            TOP + plot_h + 20.0
        );
    }
    // Judgements at one inspection would overlap: spread them a little sideways.
    let offset = |i: usize| (i as f64 - (series.len() as f64 - 1.0) / 2.0) * 7.0;
    for (i, name) in series.iter().enumerate() {
        let (colour, shape) = SERIES_STYLE[i % SERIES_STYLE.len()];
        let mut mine: Vec<&ChartPoint> = points.iter().filter(|p| p.series == *name).collect();
        mine.sort_by_key(|p| p.date);
        if mine.len() > 1 {
            let path: Vec<String> = mine
                .iter()
                .map(|p| format!("{:.1},{:.1}", x_of(p.date) + offset(i), y_of(p.grade)))
                .collect();
            let _ = write!(
                out,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
                path.join(" ")
            );
        }
        for p in &mine {
            marker(
                &mut out,
                shape,
                x_of(p.date) + offset(i),
                y_of(p.grade),
                colour,
            );
        }
        // Legend below the axis, two columns.
        let lx = 20.0 + (i % 2) as f64 * 330.0;
        let ly = HEIGHT - 40.0 + (i / 2) as f64 * 18.0;
        legend_entry(&mut out, (lx, ly), (colour, shape), name);
    }
    out.push_str("</svg>");
    out
}

/// One line of a trend chart: a value per period, or a gap where there is none (a
/// suppressed or missing figure is a gap, never a zero).
#[derive(Debug, Clone, PartialEq)]
pub struct TrendSeries {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// The axis for values up to `value`: the smallest of 1, 2, 2.5 or 5 times a power of
/// ten that is at least `value`, and how many equal steps to mark it in.
fn nice_axis(value: f64) -> (f64, u32) {
    if value <= 0.0 || !value.is_finite() {
        return (1.0, 5);
    }
    let power = 10f64.powf(value.log10().floor());
    [(1.0, 5), (2.0, 4), (2.5, 5), (5.0, 5), (10.0, 5)]
        .into_iter()
        .map(|(m, steps)| (m * power, steps))
        .find(|(c, _)| *c >= value * (1.0 - 1e-9))
        .unwrap_or((10.0 * power, 5))
}

/// A line chart of an indicator over time, one marked line per series, the axis from
/// zero. `id` makes the title and description ids unique on a page with many charts.
/// Returns an empty string when there is nothing to plot.
pub fn trend_svg(
    id: &str,
    title: &str,
    description: &str,
    periods: &[String],
    series: &[TrendSeries],
) -> String {
    let top_value = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(f64::NEG_INFINITY, |a, b| a.max(*b));
    if periods.is_empty() || !top_value.is_finite() {
        return String::new();
    }
    let (width, height, left, right, top, bottom) = (680.0, 300.0, 60.0, 20.0, 20.0, 90.0);
    let (y_max, steps) = nice_axis(top_value);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let step = if periods.len() > 1 {
        plot_w / (periods.len() - 1) as f64
    } else {
        0.0
    };
    let x_of = |i: usize| {
        if periods.len() > 1 {
            left + step * i as f64
        } else {
            left + plot_w / 2.0
        }
    };
    let y_of = |v: f64| top + plot_h * (1.0 - v / y_max);
    let mut out = String::new();
    svg_open(&mut out, id, (width, height), title, description);
    let step_value = y_max / f64::from(steps);
    let decimals = if step_value >= 1.0 && step_value.fract() == 0.0 {
        0
    } else {
        1
    };
    for tick in 0..=steps {
        let v = step_value * f64::from(tick);
        let y = y_of(v);
        let label = format!("{v:.decimals$}");
        let _ = write!(
            out,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#b1b4b6" stroke-width="1"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#0b0c0c">{label}</text>"##,
            left + plot_w,
            left - 8.0,
            y + 5.0
        );
    }
    // Label every period when they fit, otherwise every other one.
    let every = if periods.len() > 8 { 2 } else { 1 };
    for (i, period) in periods.iter().enumerate() {
        if i % every == 0 || i + 1 == periods.len() {
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#0b0c0c">{}</text>"##,
                x_of(i),
                top + plot_h + 20.0,
                escape(period)
            );
        }
    }
    for (n, line) in series.iter().enumerate() {
        let (colour, shape) = SERIES_STYLE[n % SERIES_STYLE.len()];
        // A gap breaks the line: points either side are not joined across it.
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, out: &mut String| {
            if run.len() > 1 {
                let _ = write!(
                    out,
                    r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
                    run.join(" ")
                );
            }
            run.clear();
        };
        for (i, value) in line.values.iter().enumerate().take(periods.len()) {
            match value {
                Some(v) => run.push(format!("{:.1},{:.1}", x_of(i), y_of(*v))),
                None => flush(&mut run, &mut out),
            }
        }
        flush(&mut run, &mut out);
        for (i, value) in line.values.iter().enumerate().take(periods.len()) {
            if let Some(v) = value {
                marker(&mut out, shape, x_of(i), y_of(*v), colour);
            }
        }
        let lx = 20.0 + (n % 2) as f64 * 330.0;
        let ly = height - 40.0 + (n / 2) as f64 * 18.0;
        legend_entry(&mut out, (lx, ly), (colour, shape), &line.name);
    }
    out.push_str("</svg>");
    out
}

/// A dated event on a timeline; `series` picks its marker and legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    pub date: NaiveDate,
    pub series: String,
}

/// A period shaded on a timeline, such as the next inspection's window.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineBand {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub label: String,
}

/// A timeline from the earliest event to past the band (or today), with one marker per
/// event, the band shaded and labelled, and today marked. Empty when there are no
/// events and no band.
pub fn timeline_svg(
    id: &str,
    title: &str,
    description: &str,
    events: &[TimelineEvent],
    band: Option<&TimelineBand>,
    today: NaiveDate,
) -> String {
    let mut dates: Vec<NaiveDate> = events.iter().map(|e| e.date).collect();
    if let Some(b) = band {
        dates.extend([b.from, b.to]);
    }
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return String::new();
    };
    let start_year = first.year().min(today.year());
    let end_year = last.year().max(today.year()) + 1;
    let (width, height, left, right) = (680.0, 170.0, 20.0, 20.0);
    let axis_y = 80.0;
    let span = f64::from((end_year - start_year).max(1));
    let plot_w = width - left - right;
    let x_of = |d: NaiveDate| {
        let years = f64::from(d.year() - start_year) + f64::from(d.ordinal0()) / 366.0;
        left + plot_w * years / span
    };
    let mut out = String::new();
    svg_open(&mut out, id, (width, height), title, description);
    if let Some(b) = band {
        let (x1, x2) = (x_of(b.from), x_of(b.to));
        let _ = write!(
            out,
            r##"<rect x="{x1:.1}" y="{:.1}" width="{:.1}" height="40" fill="#cce2d8"/><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#0b0c0c">{}</text>"##,
            axis_y - 20.0,
            (x2 - x1).max(2.0),
            (x1 + x2) / 2.0,
            axis_y - 28.0,
            escape(&b.label)
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{left}" y1="{axis_y}" x2="{:.1}" y2="{axis_y}" stroke="#0b0c0c" stroke-width="2"/>"##,
        left + plot_w
    );
    for year in start_year..=end_year {
        let x = left + plot_w * f64::from(year - start_year) / span;
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#0b0c0c" stroke-width="1"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#0b0c0c">{year}</text>"##,
            axis_y - 5.0,
            axis_y + 5.0,
            axis_y + 22.0
        );
    }
    let tx = x_of(today);
    let _ = write!(
        out,
        r##"<line x1="{tx:.1}" y1="{:.1}" x2="{tx:.1}" y2="{:.1}" stroke="#d4351c" stroke-width="2" stroke-dasharray="4 3"/><text x="{tx:.1}" y="{:.1}" text-anchor="middle" fill="#d4351c">Today</text>"##,
        axis_y - 20.0,
        axis_y + 30.0,
        axis_y + 44.0
    );
    let mut series: Vec<&str> = Vec::new();
    for e in events {
        if !series.contains(&e.series.as_str()) {
            series.push(&e.series);
        }
    }
    for (n, name) in series.iter().enumerate() {
        let (colour, shape) = SERIES_STYLE[n % SERIES_STYLE.len()];
        for e in events.iter().filter(|e| e.series == *name) {
            marker(&mut out, shape, x_of(e.date), axis_y, colour);
        }
        let lx = 20.0 + (n % 3) as f64 * 220.0;
        let ly = height - 18.0 + (n / 3) as f64 * 18.0;
        legend_entry(&mut out, (lx, ly), (colour, shape), name);
    }
    out.push_str("</svg>");
    out
}

/// One bar of a bar chart: its label, its value (drawn against the chart's `max`) and
/// the value as the page's table shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
    /// Drawn in the LA's colour; the others (comparators) in grey.
    pub own: bool,
}

/// A horizontal bar chart, one bar per row, from zero to `max`; `id` keeps titles unique
/// on a page. Returns an empty string when there is nothing to draw.
pub fn bar_chart_svg(id: &str, title: &str, description: &str, bars: &[Bar], max: f64) -> String {
    if bars.is_empty() || max.is_nan() || max <= 0.0 {
        return String::new();
    }
    const ROW: f64 = 30.0;
    const LABEL: f64 = 260.0;
    const VALUE_SPACE: f64 = 70.0;
    let height = TOP + ROW * bars.len() as f64 + 10.0;
    let plot = WIDTH - LABEL - VALUE_SPACE;
    let mut out = String::new();
    svg_open(
        &mut out,
        &format!("bars-{id}"),
        (WIDTH, height),
        title,
        description,
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let length = (bar.value.max(0.0) / max).min(1.0) * plot;
        // GOV.UK blue for the LA's own figures, dark grey for comparators: both 3:1 on white.
        let colour = if bar.own { "#1d70b8" } else { "#505a5f" };
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#0b0c0c">{}</text><rect x="{LABEL:.1}" y="{y:.1}" width="{length:.1}" height="20" fill="{colour}"/><text x="{:.1}" y="{:.1}" fill="#0b0c0c">{}</text>"##,
            LABEL - 8.0,
            y + 15.0,
            escape(&bar.label),
            LABEL + length + 6.0,
            y + 15.0,
            escape(&bar.text)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_drawn_to_scale_with_their_values_as_text() {
        let bars = [
            Bar {
                label: "From your lists".into(),
                value: 25.0,
                text: "25.0%".into(),
                own: true,
            },
            Bar {
                label: "England <2025>".into(),
                value: 50.0,
                text: "50.0%".into(),
                own: false,
            },
        ];
        let svg = bar_chart_svg(
            "re_referral",
            "Re-referrals",
            "Yours against England",
            &bars,
            100.0,
        );
        assert!(svg.contains(r#"aria-labelledby="bars-re_referral-title bars-re_referral-desc""#));
        // The plot is 680 - 260 - 70 = 350 wide: 25% is 87.5, 50% is 175.
        assert!(svg.contains(r#"width="87.5""#), "{svg}");
        assert!(svg.contains(r#"width="175.0""#), "{svg}");
        assert!(svg.contains("England &lt;2025&gt;"));
        assert_eq!(bar_chart_svg("x", "t", "d", &[], 100.0), "");
    }

    fn p(date: &str, series: &str, grade: Grade) -> ChartPoint {
        ChartPoint {
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            series: series.into(),
            grade,
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn draws_an_accessible_chart_with_one_line_per_judgement() {
        let svg = judgement_history_svg(
            "Judgements for <Barking>",
            "Two inspections",
            &[
                p(
                    "2019-02-18",
                    "Overall effectiveness",
                    Grade::RequiresImprovement,
                ),
                p(
                    "2023-07-10",
                    "Overall effectiveness",
                    Grade::RequiresImprovement,
                ),
                p("2023-07-10", "Care leavers", Grade::Good),
            ],
            d("2026-11-23"),
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title id=\"chart-title\">Judgements for &lt;Barking&gt;</title>"));
        assert_eq!(
            svg.matches("<polyline").count(),
            1,
            "only overall has two points"
        );
        assert!(
            svg.contains(">2018<") && svg.contains(">2027<"),
            "the axis runs to now"
        );
        assert!(svg.contains(">Care leavers<"));
    }

    #[test]
    fn a_trend_breaks_at_gaps_and_keeps_its_ids_unique() {
        let periods: Vec<String> = ["2021", "2022", "2023", "2024"].map(String::from).to_vec();
        let svg = trend_svg(
            "re_referral_rate",
            "Re-referrals <%>",
            "Barking against England",
            &periods,
            &[
                TrendSeries {
                    name: "Barking".into(),
                    values: vec![Some(20.0), None, Some(22.0), Some(23.5)],
                },
                TrendSeries {
                    name: "England".into(),
                    values: vec![Some(21.0), Some(21.5), Some(22.0), Some(22.6)],
                },
            ],
        );
        assert!(svg.contains(r#"aria-labelledby="re_referral_rate-title re_referral_rate-desc""#));
        assert!(svg.contains("Re-referrals &lt;%&gt;"));
        assert_eq!(
            svg.matches("<polyline").count(),
            2,
            "Barking's gap leaves one line of two points, England's one of four"
        );
        assert!(svg.contains(">25<"), "the axis rounds up to 25: {svg}");
        assert_eq!(trend_svg("x", "t", "d", &periods, &[]), "");
        assert_eq!(
            trend_svg(
                "x",
                "t",
                "d",
                &periods,
                &[TrendSeries {
                    name: "all suppressed".into(),
                    values: vec![None; 4]
                }]
            ),
            ""
        );
    }

    #[test]
    fn axis_ceilings_are_round_numbers() {
        for (value, axis) in [
            (22.6, (25.0, 5)),
            (0.4, (0.5, 5)),
            (67.0, (100.0, 5)),
            (13.9, (20.0, 4)),
            (100.0, (100.0, 5)),
            (0.0, (1.0, 5)),
        ] {
            assert_eq!(nice_axis(value), axis, "{value}");
        }
    }

    #[test]
    fn a_timeline_marks_events_the_window_and_today() {
        let events = [
            TimelineEvent {
                date: d("2023-07-10"),
                series: "Standard inspection".into(),
            },
            TimelineEvent {
                date: d("2025-02-04"),
                series: "Focused visit".into(),
            },
        ];
        let band = TimelineBand {
            from: d("2026-01-10"),
            to: d("2027-01-10"),
            label: "Next inspection window".into(),
        };
        let svg = timeline_svg(
            "next",
            "Timeline",
            "desc",
            &events,
            Some(&band),
            d("2026-11-23"),
        );
        assert!(svg.contains(r#"aria-labelledby="next-title next-desc""#));
        assert!(svg.contains(">Next inspection window<") && svg.contains(">Today<"));
        assert!(svg.contains(">2023<") && svg.contains(">2028<"), "{svg}");
        assert!(svg.contains(">Focused visit<"));
        assert_eq!(timeline_svg("x", "t", "d", &[], None, d("2026-11-23")), "");
    }

    #[test]
    fn nothing_to_plot_gives_nothing() {
        assert_eq!(judgement_history_svg("t", "d", &[], d("2026-11-23")), "");
    }
}
