//! Rendering: server-side HTML pages built from GOV.UK Frontend components,
//! server-rendered SVG charts that read without JavaScript, and documents (one model,
//! written as DOCX, tagged PDF or standalone HTML).

mod chart;
mod document;
pub mod exports;
mod filters;
mod spreadsheet;

pub use chart::{
    bar_chart_svg, judgement_history_svg, timeline_svg, trend_svg, Bar, ChartPoint, TimelineBand,
    TimelineEvent, TrendSeries,
};
pub use document::{
    to_docx, to_html, to_pdf, Block, DocTable, Document, DocumentError, Inline, LinkTarget,
};
pub use filters::{thousands, uk_date};
pub use spreadsheet::{table_xlsx, Cell, SpreadsheetError, Table};

use minijinja::Environment;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
#[error("could not render {template}: {source}")]
pub struct RenderError {
    template: String,
    #[source]
    source: minijinja::Error,
}

/// The page templates, compiled once at start.
pub struct Renderer {
    env: Environment<'static>,
}

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates![
    "annexa_indicator.html",
    "annexa_indicators.html",
    "annexa_overview.html",
    "annexa_report.html",
    "layout.html",
    "macros.html",
    "home.html",
    "sign_in.html",
    "la_list.html",
    "la_page.html",
    "la_users.html",
    "error.html",
    "audits_list.html",
    "audit_form.html",
    "audit_view.html",
    "audit_moderation.html",
    "audit_summary.html",
    "learning_macros.html",
    "learning_list.html",
    "learning_form.html",
    "learning_view.html",
    "audit_programme.html",
    "audit_programme_cases.html",
    "audit_programme_auditors.html",
    "sef_overview.html",
    "sef_version.html",
    "sef_section.html",
    "sef_review.html",
    "sef_macros.html",
    "sef_findings.html",
    "sef_plan.html",
    "aem_region.html",
    "aem_la.html",
    "aem_meeting.html",
    "aem_record.html",
    "aem_agenda.html",
    "aem_outcomes.html",
    "aem_letter.html",
    "aem_consistency.html",
    "sef_sections.html",
    "sef_compare.html",
];

fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            other => escaped.push(other),
        }
    }
    escaped
}

impl Renderer {
    /// The one renderer of the process: templates compile once, on first use.
    pub fn global() -> &'static Renderer {
        static RENDERER: std::sync::OnceLock<Renderer> = std::sync::OnceLock::new();
        RENDERER.get_or_init(Renderer::new)
    }

    fn new() -> Renderer {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name} does not compile: {e}"));
        }
        filters::register(&mut env);
        // minijinja also escapes '/', which HTML does not need and which makes page
        // source and dates ("02&#x2f;11&#x2f;2026") hard to read; escape the five
        // characters that matter and leave the rest to the default.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(text)
                if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() =>
            {
                out.write_str(&escape_html(text))
                    .map_err(minijinja::Error::from)
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        Renderer { env }
    }

    /// Renders a page template with its context.
    pub fn render<C: Serialize>(&self, template: &str, context: C) -> Result<String, RenderError> {
        let wrap = |source| RenderError {
            template: template.to_string(),
            source,
        };
        self.env
            .get_template(template)
            .map_err(wrap)?
            .render(context)
            .map_err(wrap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_but_not_slashes() {
        let mut env = Renderer::new().env;
        env.add_template("t.html", "{{ v }}").unwrap();
        let out = env
            .get_template("t.html")
            .unwrap()
            .render(minijinja::context! { v => "<b>\"A&B's\"</b> 02/11/2026" })
            .unwrap();
        assert_eq!(
            out,
            "&lt;b&gt;&quot;A&amp;B&#x27;s&quot;&lt;/b&gt; 02/11/2026"
        );
    }

    #[test]
    fn every_template_compiles() {
        let r = Renderer::new();
        for (name, _) in TEMPLATES {
            assert!(r.env.get_template(name).is_ok(), "{name}");
        }
    }
}
