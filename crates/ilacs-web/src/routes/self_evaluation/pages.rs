//! Reading a self-evaluation: the versions, one version, and the review's advice.

use super::*;
use crate::auth::csrf::CsrfToken;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use ilacs_domain::access::SefStage;
use ilacs_domain::self_evaluation::{
    compare_years, review, stage_label, Citation, Evidence, FindingChanges, ItemId, Location,
    Paragraph, Question, SelfEvaluation, Transition,
};
use serde_json::{json, Value};

/// Evidence as the reader sees it; audits link to themselves for those who may open
/// them (the audit page itself checks again).
fn evidence_view(la: &LocalAuthority, e: &Evidence, audits_readable: bool) -> Value {
    let links: Vec<Value> = match e.citation() {
        Citation::Audits { audits } if audits_readable => audits
            .iter()
            .map(|a| json!({"href": format!("/local-authorities/{}/audits/{}", la.gss_code, a.get()), "text": format!("audit {}", a.get())}))
            .collect(),
        _ => vec![],
    };
    json!({"title": e.title(), "links": links})
}

fn paragraph_view(la: &LocalAuthority, p: &Paragraph, audits_readable: bool) -> Value {
    json!({
        "text": p.text(),
        "evidence": p.evidence().iter().map(|e| evidence_view(la, e, audits_readable)).collect::<Vec<_>>(),
    })
}

fn section_complete(sef: &SelfEvaluation, key: &ilacs_domain::self_evaluation::SectionKey) -> bool {
    sef.section(key)
        .is_some_and(|s| Question::ALL.iter().all(|q| !s.answer(*q).is_empty()))
}

pub(crate) async fn overview(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let draft = Record::SelfEvaluation {
        la: &la.la_code,
        region: &la.region,
        stage: SefStage::Draft,
    };
    let can_write = authorize(viewer.principal(), Action::Write, &draft).is_ok();
    let versions = state.store.self_evaluations(&la.la_code).await?;
    let readable: Vec<Value> = versions
        .iter()
        .filter(|v| may_read_stage(&viewer, &la, v.stage))
        .map(|v| {
            json!({
                "href": version_path(&la, v.year, v.version),
                "year": v.year.label(),
                "version": v.version,
                "stage": stage_label(v.stage),
                "updated_by": v.updated_by,
            })
        })
        .collect();
    if readable.is_empty() && !can_write && viewer.signed_in().is_none() {
        return Err(PageError::SignInRequired { next: base(&la) });
    }
    let html = PageFrame { viewer: &viewer, csrf: &csrf, current_nav: "self-evaluation" }.render(
        "sef_overview.html",
        &format!("Self-evaluation – {}", la.name),
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "versions": readable,
            "can_write": can_write,
            "this_year": ilacs_domain::self_evaluation::FinancialYear::containing(state.today()).label(),
        }),
    )?;
    Ok(html.into_response())
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number)): Path<(String, String, u32)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = version(&state, &viewer, &la, &year, number, Action::Read).await?;
    let sef = &stored.sef;
    let can_write = authorize(viewer.principal(), Action::Write, &record(&la, &stored)).is_ok();
    let can_decide = authorize(viewer.principal(), Action::Decide, &record(&la, &stored)).is_ok();
    let audits_readable = audits_readable(&viewer, &la);
    let path = version_path(&la, sef.year(), sef.version());
    let sections: Vec<Value> = sef
        .sections()
        .iter()
        .map(|s| {
            json!({
                "key": s.key().as_str(),
                "title": s.title(),
                "complete": section_complete(sef, s.key()),
                "href": format!("{path}/sections/{}", s.key()),
                "answers": Question::ALL.iter().map(|q| json!({
                    "heading": questions().get(*q).short,
                    "paragraphs": s.answer(*q).iter().map(|p| paragraph_view(&la, p, audits_readable)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let findings = |list: &[ilacs_domain::self_evaluation::Finding]| -> Vec<Value> {
        list.iter()
            .map(|f| paragraph_view(&la, f.paragraph(), audits_readable))
            .collect()
    };
    let next = Transition::next_from(sef.stage())
        .map(|t| json!({"key": transition_key(t), "label": t.label()}));
    let html = PageFrame { viewer: &viewer, csrf: &csrf, current_nav: "self-evaluation" }.render(
        "sef_version.html",
        &format!("Self-evaluation {} – {}", sef.year().label(), la.name),
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "path": path,
            "year": sef.year().label(),
            "version": sef.version(),
            "based_on": sef.based_on(),
            "stage": stage_label(sef.stage()),
            "is_draft": sef.is_draft(),
            "can_write": can_write,
            "row_version": stored.row_version,
            "next": if can_decide { next } else { None },
            "history": sef.history().iter().map(|h| json!({
                "to": stage_label(h.to), "by": h.by.as_str(), "at": h.at.date_naive().to_string(),
            })).collect::<Vec<_>>(),
            "sections": sections,
            "strengths": findings(sef.strengths()),
            "areas": findings(sef.areas_for_development()),
            "plan": sef.plan().iter().map(|a| json!({"description": a.description(), "owner": a.owner(), "due": a.due().map(|d| d.to_string()), "status": a.status().label()})).collect::<Vec<_>>(),
        }),
    )?;
    Ok(html.into_response())
}

/// The form value naming a transition.
pub(super) fn transition_key(t: Transition) -> &'static str {
    match t {
        Transition::SignOff => "sign_off",
        Transition::ShareWithOfsted => "share_with_ofsted",
        Transition::ShareWithAlliance => "share_with_alliance",
        Transition::Publish => "publish",
    }
}

pub(crate) async fn review_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number)): Path<(String, String, u32)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = version(&state, &viewer, &la, &year, number, Action::Read).await?;
    let sef = &stored.sef;
    let path = version_path(&la, sef.year(), sef.version());
    let advice: Vec<Value> = review(sef, review_rules(), questions())
        .iter()
        .map(|a| {
            let section = match &a.location {
                Location::Section(k) | Location::Answer(k, _) | Location::Paragraph(k, _, _) => sef
                    .section(k)
                    .map(|s| (s.title().to_string(), format!("{path}/sections/{k}"))),
                _ => None,
            };
            json!({
                "warning": matches!(a.severity, ilacs_domain::self_evaluation::Severity::Warning),
                "message": a.message,
                "where": section.as_ref().map(|s| s.0.clone()),
                "href": section.map(|s| s.1),
            })
        })
        .collect();
    let html = PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "self-evaluation",
    }
    .render(
        "sef_review.html",
        &format!("Review – self-evaluation {}", sef.year().label()),
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "path": path,
            "year": sef.year().label(),
            "advice": advice,
            "words": ilacs_domain::self_evaluation::word_count(sef),
            "target": review_rules().target_words(),
        }),
    )?;
    Ok(html.into_response())
}

/// Year on year: this version against last year's latest signed-off version the viewer
/// may read — strengths and areas kept, added and dropped, and what became of the plan.
pub(crate) async fn compare_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number)): Path<(String, String, u32)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = version(&state, &viewer, &la, &year, number, Action::Read).await?;
    let this = &stored.sef;
    let last_year = this.year().previous();
    let candidate = state
        .store
        .self_evaluations(&la.la_code)
        .await?
        .into_iter()
        .filter(|v| Some(v.year) == last_year && v.stage != SefStage::Draft)
        .filter(|v| may_read_stage(&viewer, &la, v.stage))
        .max_by_key(|v| v.version);
    let last = match candidate {
        Some(v) => Some(
            version(
                &state,
                &viewer,
                &la,
                &v.year.label(),
                v.version,
                Action::Read,
            )
            .await?,
        ),
        None => None,
    };
    let comparison = match &last {
        Some(last) => Some(
            compare_years(&last.sef, this, state.today())
                .map_err(|e| PageError::Internal(e.to_string()))?,
        ),
        None => None,
    };
    let text_of = |sef: &SelfEvaluation, id: ItemId| -> String {
        sef.strength(id)
            .or_else(|| sef.area_for_development(id))
            .map(|f| f.text().to_string())
            .or_else(|| sef.action(id).map(|a| a.description().to_string()))
            .unwrap_or_default()
    };
    let view = comparison.as_ref().zip(last.as_ref()).map(|(c, last)| {
        let last = &last.sef;
        let findings = |changes: &FindingChanges| {
            json!({
                "kept": changes.kept.iter().map(|k| json!({
                    "text": text_of(this, k.this),
                    "reworded": k.reworded,
                    "was": k.reworded.then(|| text_of(last, k.last)),
                })).collect::<Vec<_>>(),
                "added": changes.added.iter().map(|id| text_of(this, *id)).collect::<Vec<_>>(),
                "removed": changes.removed.iter().map(|id| text_of(last, *id)).collect::<Vec<_>>(),
            })
        };
        let actions = |sef: &SelfEvaluation, ids: &[ItemId]| -> Vec<String> {
            ids.iter().map(|id| text_of(sef, *id)).collect()
        };
        json!({
            "last_year": c.last_year.label(),
            "last_version": c.last_version,
            "last_href": version_path(&la, c.last_year, c.last_version),
            "strengths": findings(&c.strengths),
            "areas": findings(&c.areas_for_development),
            "plan": [
                {"id": "done", "title": "Done", "warn": false, "items": actions(last, &c.plan.done)},
                {"id": "carried-over", "title": "Still open, carried into this year's plan", "warn": false, "items": actions(last, &c.plan.carried_over)},
                {"id": "not-carried-over", "title": "Open last year and missing from this year's plan", "warn": true, "items": actions(last, &c.plan.not_carried_over)},
                {"id": "dropped", "title": "Dropped", "warn": false, "items": actions(last, &c.plan.dropped)},
                {"id": "new", "title": "New this year", "warn": false, "items": actions(this, &c.plan.new)},
                {"id": "overdue", "title": "Overdue now", "warn": true, "items": actions(this, &c.plan.overdue)},
            ],
        })
    });
    let html = PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "self-evaluation",
    }
    .render(
        "sef_compare.html",
        &format!("Year on year – self-evaluation {}", this.year().label()),
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "path": version_path(&la, this.year(), this.version()),
            "year": this.year().label(),
            "version": this.version(),
            "previous_year": last_year.map(|y| y.label()),
            "comparison": view,
        }),
    )?;
    Ok(html.into_response())
}
