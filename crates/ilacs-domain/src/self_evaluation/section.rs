//! A section of a self-evaluation and its answers to the three questions.

use super::evidence::Paragraph;
use super::guide::Question;
use super::ids::SectionKey;
use crate::inspection::Judgement;
use serde::{Deserialize, Serialize};

/// Where a section comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// The LA's context (demand, workforce, budget, leadership).
    Context,
    /// A judgement area of the framework version in force.
    Judgement(Judgement),
    /// A section the LA added.
    Custom,
}

/// The answers to the three questions, each a list of paragraphs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    what_you_know: Vec<Paragraph>,
    how_you_know: Vec<Paragraph>,
    plans: Vec<Paragraph>,
}

impl Answers {
    pub fn get(&self, question: Question) -> &[Paragraph] {
        match question {
            Question::WhatYouKnow => &self.what_you_know,
            Question::HowYouKnow => &self.how_you_know,
            Question::Plans => &self.plans,
        }
    }

    pub(super) fn set(&mut self, question: Question, paragraphs: Vec<Paragraph>) {
        *match question {
            Question::WhatYouKnow => &mut self.what_you_know,
            Question::HowYouKnow => &mut self.how_you_know,
            Question::Plans => &mut self.plans,
        } = paragraphs;
    }

    /// Every paragraph with its question, in question order.
    pub fn paragraphs(&self) -> impl Iterator<Item = (Question, usize, &Paragraph)> + '_ {
        Question::ALL
            .into_iter()
            .flat_map(move |q| self.get(q).iter().enumerate().map(move |(i, p)| (q, i, p)))
    }
}

/// One section: a key that never changes, a title the LA may edit, and the answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    key: SectionKey,
    kind: SectionKind,
    title: String,
    answers: Answers,
}

impl Section {
    pub(super) fn new(key: SectionKey, kind: SectionKind, title: String) -> Section {
        Section {
            key,
            kind,
            title,
            answers: Answers::default(),
        }
    }

    pub fn key(&self) -> &SectionKey {
        &self.key
    }
    pub fn kind(&self) -> SectionKind {
        self.kind
    }
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn answers(&self) -> &Answers {
        &self.answers
    }
    pub fn answer(&self, question: Question) -> &[Paragraph] {
        self.answers.get(question)
    }

    pub(super) fn set_title(&mut self, title: String) {
        self.title = title;
    }
    pub(super) fn answers_mut(&mut self) -> &mut Answers {
        &mut self.answers
    }
}
