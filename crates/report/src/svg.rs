//! Inline SVG pictures for the HTML report: a stage timeline (one bar per stage, from its
//! start to its end) over a utilization band (the slots busy over time, each stage's task time
//! spread evenly over its span: an approximation, the log has no per-task start times here).

use std::fmt::Write;

use sparkfix_eventlog::replay::Span;

const WIDTH: f64 = 860.0;
const LEFT: f64 = 70.0;
const BAR: f64 = 14.0;
const BAND: f64 = 60.0;

/// A timeline of `spans` on `slots` slots, scaled to `scale_ms` (so that two timelines share an
/// axis), titled `title`.
pub(crate) fn timeline(title: &str, spans: &[Span], slots: u32, scale_ms: u64) -> String {
    let scale_ms = scale_ms.max(1) as f64;
    let plot = WIDTH - LEFT - 10.0;
    let x = |ms: u64| LEFT + ms as f64 / scale_ms * plot;
    let rows = spans.len().max(1) as f64;
    let height = 30.0 + BAND + 20.0 + rows * (BAR + 4.0) + 30.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}"><title>{}</title>"#,
        escape(title)
    );
    let _ = writeln!(
        out,
        r#"<text x="0" y="16" class="title">{}</text>"#,
        escape(title)
    );
    // Utilization band: busy slots per bucket, from each stage's task time over its span.
    let buckets = 120usize;
    let bucket_ms = scale_ms / buckets as f64;
    let mut busy = vec![0.0f64; buckets];
    for span in spans {
        let length = span.end_ms.saturating_sub(span.start_ms).max(1) as f64;
        let rate = span.task_ms as f64 / length;
        for (i, value) in busy.iter_mut().enumerate() {
            let from = i as f64 * bucket_ms;
            let to = from + bucket_ms;
            let overlap = (to.min(span.end_ms as f64) - from.max(span.start_ms as f64)).max(0.0);
            *value += rate * overlap / bucket_ms;
        }
    }
    let top = 30.0;
    let _ = writeln!(
        out,
        r#"<rect x="{LEFT}" y="{top}" width="{plot:.1}" height="{BAND}" class="band"/>"#
    );
    let mut points = format!("{LEFT},{}", top + BAND);
    for (i, value) in busy.iter().enumerate() {
        let share = (value / f64::from(slots.max(1))).min(1.0);
        let x0 = LEFT + i as f64 / buckets as f64 * plot;
        let x1 = LEFT + (i + 1) as f64 / buckets as f64 * plot;
        let y = top + BAND - share * BAND;
        let _ = write!(points, " {x0:.1},{y:.1} {x1:.1},{y:.1}");
    }
    let _ = write!(points, " {:.1},{}", LEFT + plot, top + BAND);
    let _ = writeln!(out, r#"<polygon points="{points}" class="busy"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="0" y="{:.0}" class="label">{slots} slots</text>"#,
        top + BAND / 2.0 + 4.0
    );
    // One bar per stage.
    let first_bar = top + BAND + 20.0;
    for (row, span) in spans.iter().enumerate() {
        let y = first_bar + row as f64 * (BAR + 4.0);
        let x0 = x(span.start_ms);
        let w = (x(span.end_ms) - x0).max(1.0);
        let _ = writeln!(
            out,
            r#"<rect x="{x0:.1}" y="{y:.1}" width="{w:.1}" height="{BAR}" class="stage"><title>stage {}: {:.1} s to {:.1} s, {:.1} s of task time</title></rect><text x="0" y="{:.1}" class="label">stage {}</text>"#,
            span.stage,
            span.start_ms as f64 / 1000.0,
            span.end_ms as f64 / 1000.0,
            span.task_ms as f64 / 1000.0,
            y + BAR - 3.0,
            span.stage
        );
    }
    // The time axis, in seconds.
    let axis = first_bar + rows * (BAR + 4.0) + 8.0;
    let _ = writeln!(
        out,
        r#"<line x1="{LEFT}" y1="{axis:.1}" x2="{:.1}" y2="{axis:.1}" class="axis"/>"#,
        LEFT + plot
    );
    let step = nice_step(scale_ms / 1000.0 / 8.0);
    let mut t = 0.0;
    while t * 1000.0 <= scale_ms + 1.0 {
        let px = LEFT + t * 1000.0 / scale_ms * plot;
        let _ = writeln!(
            out,
            r#"<text x="{px:.1}" y="{:.1}" class="tick">{t} s</text>"#,
            axis + 16.0
        );
        t += step;
    }
    out.push_str("</svg>\n");
    out
}

/// A round step for `raw` seconds: 1, 2 or 5 times a power of ten.
fn nice_step(raw: f64) -> f64 {
    let raw = raw.max(0.001);
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * power);
    (step * 1000.0).round() / 1000.0
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeline_draws_one_bar_per_stage_and_the_band() {
        let spans = [
            Span {
                stage: 0,
                start_ms: 0,
                end_ms: 1000,
                task_ms: 2000,
            },
            Span {
                stage: 1,
                start_ms: 1000,
                end_ms: 3000,
                task_ms: 2000,
            },
        ];
        let svg = timeline("measured", &spans, 2, 3000);
        assert_eq!(svg.matches(r#"class="stage""#).count(), 2);
        assert!(svg.contains(r#"class="busy""#));
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(nice_step(0.37), 0.5);
        assert_eq!(nice_step(4.0), 5.0);
    }
}
