//! The steps a version takes after drafting (DESIGN.md "Access"): draft → signed off →
//! shared with Ofsted → shared with the regional alliance → published. Each step is the
//! LA's decision, widens the readers ([`crate::access::authorize`]) and is recorded with
//! who took it and when. Steps are taken one at a time, in that order: a version is
//! shared with the alliance only once Ofsted has it, and published only once both
//! have, so each wider audience reads what the narrower one already has. There is no
//! step back: a version's readers never shrink; a correction is a new version.

use super::document::SelfEvaluation;
use crate::access::SefStage;
use crate::user::Username;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Every stage, in order.
pub const STAGES: [SefStage; 5] = [
    SefStage::Draft,
    SefStage::SignedOff,
    SefStage::SharedWithOfsted,
    SefStage::SharedWithAlliance,
    SefStage::Published,
];

/// A stage's stable key, for storage and the API.
pub fn stage_key(stage: SefStage) -> &'static str {
    match stage {
        SefStage::Draft => "draft",
        SefStage::SignedOff => "signed_off",
        SefStage::SharedWithOfsted => "shared_with_ofsted",
        SefStage::SharedWithAlliance => "shared_with_alliance",
        SefStage::Published => "published",
    }
}

/// A stage as a status tag shows it: "Shared with Ofsted".
pub fn stage_label(stage: SefStage) -> &'static str {
    match stage {
        SefStage::Draft => "Draft",
        SefStage::SignedOff => "Signed off",
        SefStage::SharedWithOfsted => "Shared with Ofsted",
        SefStage::SharedWithAlliance => "Shared with the regional alliance",
        SefStage::Published => "Published",
    }
}

/// A stage after "has been": "signed off", "shared with Ofsted".
pub(super) fn stage_phrase(stage: SefStage) -> &'static str {
    match stage {
        SefStage::Draft => "drafted",
        SefStage::SignedOff => "signed off",
        SefStage::SharedWithOfsted => "shared with Ofsted",
        SefStage::SharedWithAlliance => "shared with the regional alliance",
        SefStage::Published => "published",
    }
}

pub fn parse_stage(key: &str) -> Option<SefStage> {
    STAGES.into_iter().find(|s| stage_key(*s) == key.trim())
}

/// [`SefStage`] is stored by its key.
pub(super) mod stage_serde {
    use super::{parse_stage, stage_key};
    use crate::access::SefStage;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(stage: &SefStage, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(stage_key(*stage))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SefStage, D::Error> {
        let key = String::deserialize(d)?;
        parse_stage(&key).ok_or_else(|| serde::de::Error::custom(format!("'{key}' is not a stage")))
    }
}

/// One step of the lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    SignOff,
    ShareWithOfsted,
    ShareWithAlliance,
    Publish,
}

impl Transition {
    pub const ALL: [Transition; 4] = [
        Transition::SignOff,
        Transition::ShareWithOfsted,
        Transition::ShareWithAlliance,
        Transition::Publish,
    ];

    /// The only stage it may be taken from.
    pub fn from(self) -> SefStage {
        match self {
            Transition::SignOff => SefStage::Draft,
            Transition::ShareWithOfsted => SefStage::SignedOff,
            Transition::ShareWithAlliance => SefStage::SharedWithOfsted,
            Transition::Publish => SefStage::SharedWithAlliance,
        }
    }

    pub fn to(self) -> SefStage {
        match self {
            Transition::SignOff => SefStage::SignedOff,
            Transition::ShareWithOfsted => SefStage::SharedWithOfsted,
            Transition::ShareWithAlliance => SefStage::SharedWithAlliance,
            Transition::Publish => SefStage::Published,
        }
    }

    /// The step that may be taken from a stage, if any.
    pub fn next_from(stage: SefStage) -> Option<Transition> {
        Transition::ALL.into_iter().find(|t| t.from() == stage)
    }

    pub fn key(self) -> &'static str {
        match self {
            Transition::SignOff => "sign_off",
            Transition::ShareWithOfsted => "share_with_ofsted",
            Transition::ShareWithAlliance => "share_with_alliance",
            Transition::Publish => "publish",
        }
    }

    /// As a button says it: "Share with Ofsted".
    pub fn label(self) -> &'static str {
        match self {
            Transition::SignOff => "Sign off",
            Transition::ShareWithOfsted => "Share with Ofsted",
            Transition::ShareWithAlliance => "Share with the regional alliance",
            Transition::Publish => "Publish",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Transition::SignOff => "signed off",
            Transition::ShareWithOfsted => "shared with Ofsted",
            Transition::ShareWithAlliance => "shared with the regional alliance",
            Transition::Publish => "published",
        }
    }
}

impl fmt::Display for Transition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A step taken: who took it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageChange {
    #[serde(with = "stage_serde")]
    pub from: SefStage,
    #[serde(with = "stage_serde")]
    pub to: SefStage,
    pub by: Username,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// The version is not at the stage the step starts from.
    #[error("{}", refusal(*.transition, *.stage))]
    NotAllowed {
        transition: Transition,
        stage: SefStage,
    },
    /// A step dated before the step it follows: clocks or a typing slip.
    #[error("The step cannot be dated before the previous one ({previous})")]
    BeforePrevious { previous: DateTime<Utc> },
}

fn refusal(transition: Transition, stage: SefStage) -> String {
    let verb = transition.verb();
    if stage == transition.to() {
        return format!("This version has already been {verb}");
    }
    if stage > transition.from() {
        return format!(
            "This version cannot be {verb}: it has been {}, and a step cannot be undone",
            stage_phrase(stage)
        );
    }
    let now = if stage == SefStage::Draft {
        "it is a draft".to_string()
    } else {
        format!("it has only been {}", stage_phrase(stage))
    };
    let next = Transition::next_from(stage).expect("a stage before another has a next step");
    format!(
        "This version cannot be {verb} yet: {now}. It must be {} first",
        next.verb()
    )
}

impl SelfEvaluation {
    /// Takes one step, recording who and when; refused unless the version is at the
    /// stage the step starts from.
    pub fn advance(
        &mut self,
        transition: Transition,
        by: Username,
        at: DateTime<Utc>,
    ) -> Result<(), LifecycleError> {
        if self.stage != transition.from() {
            return Err(LifecycleError::NotAllowed {
                transition,
                stage: self.stage,
            });
        }
        if let Some(previous) = self.history.last().map(|c| c.at) {
            if at < previous {
                return Err(LifecycleError::BeforePrevious { previous });
            }
        }
        self.history.push(StageChange {
            from: self.stage,
            to: transition.to(),
            by,
            at,
        });
        self.stage = transition.to();
        Ok(())
    }

    /// Draft → signed off: the LA's leaders stand behind this version.
    pub fn sign_off(&mut self, by: Username, at: DateTime<Utc>) -> Result<(), LifecycleError> {
        self.advance(Transition::SignOff, by, at)
    }

    /// Signed off → shared with Ofsted (voluntary, but expected before the annual
    /// engagement meeting).
    pub fn share_with_ofsted(
        &mut self,
        by: Username,
        at: DateTime<Utc>,
    ) -> Result<(), LifecycleError> {
        self.advance(Transition::ShareWithOfsted, by, at)
    }

    /// Shared with Ofsted → shared with the regional alliance's peers.
    pub fn share_with_alliance(
        &mut self,
        by: Username,
        at: DateTime<Utc>,
    ) -> Result<(), LifecycleError> {
        self.advance(Transition::ShareWithAlliance, by, at)
    }

    /// Shared with the alliance → published (a committee paper, seed 003).
    pub fn publish(&mut self, by: Username, at: DateTime<Utc>) -> Result<(), LifecycleError> {
        self.advance(Transition::Publish, by, at)
    }

    /// When it was signed off, and by whom.
    pub fn signed_off(&self) -> Option<&StageChange> {
        self.history.iter().find(|c| c.to == SefStage::SignedOff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::self_evaluation::testing::{at, blank, by};
    use proptest::prelude::*;

    #[test]
    fn each_step_moves_one_stage_and_is_recorded() {
        let mut sef = blank(2026);
        sef.sign_off(by("dcs"), at("2026-05-01")).unwrap();
        assert_eq!(sef.stage(), SefStage::SignedOff);
        sef.share_with_ofsted(by("deputy"), at("2026-05-02"))
            .unwrap();
        assert_eq!(sef.stage(), SefStage::SharedWithOfsted);
        sef.share_with_alliance(by("dcs"), at("2026-06-01"))
            .unwrap();
        assert_eq!(sef.stage(), SefStage::SharedWithAlliance);
        sef.publish(by("dcs"), at("2026-07-01")).unwrap();
        assert_eq!(sef.stage(), SefStage::Published);
        let steps: Vec<_> = sef
            .history()
            .iter()
            .map(|c| (stage_key(c.from), stage_key(c.to), c.by.as_str()))
            .collect();
        assert_eq!(
            steps,
            [
                ("draft", "signed_off", "dcs"),
                ("signed_off", "shared_with_ofsted", "deputy"),
                ("shared_with_ofsted", "shared_with_alliance", "dcs"),
                ("shared_with_alliance", "published", "dcs"),
            ]
        );
        assert_eq!(sef.signed_off().unwrap().at, at("2026-05-01"));
    }

    #[test]
    fn steps_out_of_order_are_refused_naming_the_stage() {
        let mut sef = blank(2026);
        let err = sef
            .share_with_ofsted(by("deputy"), at("2026-05-01"))
            .unwrap_err();
        assert_eq!(
            err,
            LifecycleError::NotAllowed {
                transition: Transition::ShareWithOfsted,
                stage: SefStage::Draft
            }
        );
        assert_eq!(
            err.to_string(),
            "This version cannot be shared with Ofsted yet: it is a draft. It must be signed off first"
        );
        // The alliance only after Ofsted.
        sef.sign_off(by("dcs"), at("2026-05-01")).unwrap();
        let err = sef
            .share_with_alliance(by("dcs"), at("2026-05-02"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "This version cannot be shared with the regional alliance yet: it has only been signed off. It must be shared with Ofsted first"
        );
        assert!(sef.publish(by("dcs"), at("2026-05-02")).is_err());
        // No step twice, no step back.
        let err = sef.sign_off(by("dcs"), at("2026-05-02")).unwrap_err();
        assert_eq!(err.to_string(), "This version has already been signed off");
        sef.share_with_ofsted(by("dcs"), at("2026-05-02")).unwrap();
        let err = sef.sign_off(by("dcs"), at("2026-05-03")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "This version cannot be signed off: it has been shared with Ofsted, and a step cannot be undone"
        );
        assert_eq!(sef.history().len(), 2);
        assert_eq!(sef.stage(), SefStage::SharedWithOfsted);
    }

    #[test]
    fn a_published_version_has_no_later_step() {
        let mut sef = blank(2026);
        for t in Transition::ALL {
            sef.advance(t, by("dcs"), at("2026-05-01")).unwrap();
        }
        assert_eq!(Transition::next_from(SefStage::Published), None);
        let err = sef.publish(by("dcs"), at("2026-05-02")).unwrap_err();
        assert_eq!(err.to_string(), "This version has already been published");
        let err = sef
            .share_with_alliance(by("dcs"), at("2026-05-02"))
            .unwrap_err();
        assert!(err.to_string().contains("it has been published"), "{err}");
    }

    #[test]
    fn steps_are_not_dated_before_the_last_one() {
        let mut sef = blank(2026);
        sef.sign_off(by("dcs"), at("2026-05-02")).unwrap();
        assert_eq!(
            sef.share_with_ofsted(by("dcs"), at("2026-05-01")),
            Err(LifecycleError::BeforePrevious {
                previous: at("2026-05-02")
            })
        );
        assert_eq!(sef.stage(), SefStage::SignedOff);
    }

    #[test]
    fn stages_have_keys_that_parse_back() {
        for s in STAGES {
            assert_eq!(parse_stage(stage_key(s)), Some(s));
        }
        assert_eq!(parse_stage("final"), None);
        assert_eq!(
            stage_label(SefStage::SharedWithOfsted),
            "Shared with Ofsted"
        );
        // The order here is the order the access rules compare.
        assert!(STAGES.windows(2).all(|w| w[0] < w[1]));
        for t in Transition::ALL {
            assert_eq!(Transition::next_from(t.from()), Some(t));
            assert!(t.to() > t.from());
        }
    }

    proptest! {
        /// Whatever steps are tried, the stage only moves forward, one stage at a time,
        /// and the history records exactly the steps that succeeded.
        #[test]
        fn transitions_only_move_forward(steps in prop::collection::vec(0usize..4, 0..12)) {
            let mut sef = blank(2026);
            let mut succeeded = 0;
            for s in steps {
                let before = sef.stage();
                let t = Transition::ALL[s];
                match sef.advance(t, by("dcs"), at("2026-05-01")) {
                    Ok(()) => {
                        succeeded += 1;
                        prop_assert_eq!(before, t.from());
                        prop_assert_eq!(sef.stage(), t.to());
                    }
                    Err(LifecycleError::NotAllowed { stage, .. }) => {
                        prop_assert_eq!(stage, before);
                        prop_assert_eq!(sef.stage(), before);
                    }
                    Err(e) => prop_assert!(false, "unexpected {e}"),
                }
                prop_assert!(sef.stage() >= before);
            }
            prop_assert_eq!(sef.history().len(), succeeded);
            for pair in sef.history().windows(2) {
                prop_assert_eq!(pair[0].to, pair[1].from);
            }
            let reached = STAGES.iter().position(|s| *s == sef.stage()).unwrap();
            prop_assert_eq!(reached, succeeded);
        }
    }
}
