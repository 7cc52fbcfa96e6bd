//! Rendering: server-side HTML pages built from GOV.UK Frontend components, and
//! server-rendered SVG charts that read without JavaScript.

mod chart;
mod filters;

pub use chart::{judgement_history_svg, ChartPoint};
pub use filters::uk_date;

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
    "layout.html",
    "macros.html",
    "home.html",
    "sign_in.html",
    "la_list.html",
    "la_page.html",
    "la_users.html",
    "error.html",
];

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
    fn every_template_compiles() {
        let r = Renderer::new();
        for (name, _) in TEMPLATES {
            assert!(r.env.get_template(name).is_ok(), "{name}");
        }
    }
}
