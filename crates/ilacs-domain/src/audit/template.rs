//! Audit templates: what an audit asks about (its domains) and how it scores them.
//! The shipped ones are data (`data/audit/templates/`); an LA copies one and edits it.

use super::ids::{DomainKey, IdError, TemplateKey};
use super::scale::{NumericScale, Scale, ScaleError};
use crate::grade::Grade;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A data file under `data/audit/` that does not hold what it should.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditDataError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

pub(super) fn invalid(file: &str, message: impl Into<String>) -> AuditDataError {
    AuditDataError::Invalid {
        file: file.to_string(),
        message: message.into(),
    }
}

/// DOMAIN.md "Case audits": the kinds of audit LAs run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditType {
    Quality,
    Compliance,
    Thematic,
    MultiAgency,
}

impl AuditType {
    pub const ALL: [AuditType; 4] = [
        AuditType::Quality,
        AuditType::Compliance,
        AuditType::Thematic,
        AuditType::MultiAgency,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AuditType::Quality => "quality",
            AuditType::Compliance => "compliance",
            AuditType::Thematic => "thematic",
            AuditType::MultiAgency => "multi_agency",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditType::Quality => "Quality",
            AuditType::Compliance => "Compliance",
            AuditType::Thematic => "Thematic",
            AuditType::MultiAgency => "Multi-agency",
        }
    }

    pub fn parse_key(key: &str) -> Option<AuditType> {
        let k = key.trim().to_ascii_lowercase().replace('-', "_");
        AuditType::ALL.into_iter().find(|t| t.key() == k)
    }
}

impl fmt::Display for AuditType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One thing an audit looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Domain {
    pub key: DomainKey,
    pub title: String,
    /// What a good case shows, for the auditor. May be blank in an LA's own template.
    pub guidance: String,
    /// Whether the auditor may mark this domain "not applicable".
    pub not_applicable_allowed: bool,
}

impl Domain {
    pub fn new(key: DomainKey, title: &str, guidance: &str, not_applicable_allowed: bool) -> Self {
        Domain {
            key,
            title: title.trim().to_string(),
            guidance: guidance.trim().to_string(),
            not_applicable_allowed,
        }
    }
}

/// Why a template (or an edit to one) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("Enter a name for the template")]
    BlankName,
    #[error("A template needs at least one domain")]
    NoDomains,
    #[error("The domain key '{0}' is used twice: each domain needs its own key")]
    DuplicateDomain(DomainKey),
    #[error("There is no domain '{0}' in this template")]
    UnknownDomain(DomainKey),
    #[error("Enter a title for the domain '{0}'")]
    BlankDomainTitle(DomainKey),
    #[error("The key '{0}' is already taken: give the copy a key of its own")]
    KeyInUse(TemplateKey),
    #[error("'{0}' is the template's only domain: add another before removing it")]
    LastDomain(DomainKey),
    #[error(transparent)]
    Key(#[from] IdError),
    #[error("The scale is not usable: {0}")]
    Scale(#[from] ScaleError),
}

/// A template: a key, a name, the kind of audit, a scale and the domains, in the order
/// the audit form shows them. Always valid: every change goes through a checked method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditTemplate {
    key: TemplateKey,
    name: String,
    audit_type: AuditType,
    scale: Scale,
    domains: Vec<Domain>,
}

impl AuditTemplate {
    pub fn new(
        key: TemplateKey,
        name: &str,
        audit_type: AuditType,
        scale: Scale,
        domains: Vec<Domain>,
    ) -> Result<Self, TemplateError> {
        let name = checked_name(name)?;
        if domains.is_empty() {
            return Err(TemplateError::NoDomains);
        }
        for (i, domain) in domains.iter().enumerate() {
            check_domain(domain)?;
            if domains[..i].iter().any(|d| d.key == domain.key) {
                return Err(TemplateError::DuplicateDomain(domain.key.clone()));
            }
        }
        Ok(AuditTemplate {
            key,
            name,
            audit_type,
            scale,
            domains,
        })
    }

    pub fn key(&self) -> &TemplateKey {
        &self.key
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn audit_type(&self) -> AuditType {
        self.audit_type
    }
    pub fn scale(&self) -> &Scale {
        &self.scale
    }
    pub fn domains(&self) -> &[Domain] {
        &self.domains
    }
    pub fn domain(&self, key: &DomainKey) -> Option<&Domain> {
        self.domains.iter().find(|d| &d.key == key)
    }

    /// The LA's own copy under a new key and name, to edit. Audits already recorded on
    /// the original keep its key, so editing the copy never changes them.
    pub fn copy_as(&self, key: TemplateKey, name: &str) -> Result<AuditTemplate, TemplateError> {
        if key == self.key {
            return Err(TemplateError::KeyInUse(key));
        }
        Ok(AuditTemplate {
            key,
            name: checked_name(name)?,
            ..self.clone()
        })
    }

    pub fn rename(&mut self, name: &str) -> Result<(), TemplateError> {
        self.name = checked_name(name)?;
        Ok(())
    }

    pub fn set_audit_type(&mut self, audit_type: AuditType) {
        self.audit_type = audit_type;
    }

    /// Replaces the scale. A scale is valid by construction; audits already scored keep
    /// the grades their scores were given (see [`super::Score::Scaled`]).
    pub fn set_scale(&mut self, scale: Scale) {
        self.scale = scale;
    }

    /// Adds a domain at the end.
    pub fn add_domain(&mut self, domain: Domain) -> Result<(), TemplateError> {
        check_domain(&domain)?;
        if self.domain(&domain.key).is_some() {
            return Err(TemplateError::DuplicateDomain(domain.key));
        }
        self.domains.push(domain);
        Ok(())
    }

    /// Removes a domain and returns it; the last one cannot go.
    pub fn remove_domain(&mut self, key: &DomainKey) -> Result<Domain, TemplateError> {
        let index = self.index_of(key)?;
        if self.domains.len() == 1 {
            return Err(TemplateError::LastDomain(key.clone()));
        }
        Ok(self.domains.remove(index))
    }

    /// Gives a domain a new title. Its key stays: recorded audits refer to it. To
    /// change a key, remove the domain and add a new one.
    pub fn rename_domain(&mut self, key: &DomainKey, title: &str) -> Result<(), TemplateError> {
        let index = self.index_of(key)?;
        let title = title.trim();
        if title.is_empty() {
            return Err(TemplateError::BlankDomainTitle(key.clone()));
        }
        self.domains[index].title = title.to_string();
        Ok(())
    }

    pub fn set_guidance(&mut self, key: &DomainKey, guidance: &str) -> Result<(), TemplateError> {
        let index = self.index_of(key)?;
        self.domains[index].guidance = guidance.trim().to_string();
        Ok(())
    }

    pub fn set_not_applicable_allowed(
        &mut self,
        key: &DomainKey,
        allowed: bool,
    ) -> Result<(), TemplateError> {
        let index = self.index_of(key)?;
        self.domains[index].not_applicable_allowed = allowed;
        Ok(())
    }

    /// Moves a domain to `position` in the form's order (clamped to the end).
    pub fn move_domain(&mut self, key: &DomainKey, position: usize) -> Result<(), TemplateError> {
        let index = self.index_of(key)?;
        let domain = self.domains.remove(index);
        let position = position.min(self.domains.len());
        self.domains.insert(position, domain);
        Ok(())
    }

    fn index_of(&self, key: &DomainKey) -> Result<usize, TemplateError> {
        self.domains
            .iter()
            .position(|d| &d.key == key)
            .ok_or_else(|| TemplateError::UnknownDomain(key.clone()))
    }
}

fn checked_name(name: &str) -> Result<String, TemplateError> {
    let name = name.trim();
    if name.is_empty() {
        Err(TemplateError::BlankName)
    } else {
        Ok(name.to_string())
    }
}

fn check_domain(domain: &Domain) -> Result<(), TemplateError> {
    if domain.title.trim().is_empty() {
        Err(TemplateError::BlankDomainTitle(domain.key.clone()))
    } else {
        Ok(())
    }
}

// The file format: the same for the shipped templates and an LA's saved copy.

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    key: String,
    name: String,
    audit_type: AuditType,
    scale: ScaleFile,
    domains: Vec<DomainFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum ScaleFile {
    OfstedGrades,
    Numeric {
        min: u32,
        max: u32,
        /// Grade key to the lowest score in its band.
        bands: BTreeMap<String, u32>,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainFile {
    key: String,
    title: String,
    #[serde(default)]
    guidance: String,
    #[serde(default, skip_serializing_if = "is_false")]
    not_applicable: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl AuditTemplate {
    /// Parses a template file (`data/audit/templates/*.toml`); `file` names it in errors.
    pub fn parse_toml(file: &str, text: &str) -> Result<AuditTemplate, AuditDataError> {
        let raw: TemplateFile = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
        let key = TemplateKey::parse(&raw.key).map_err(|e| invalid(file, e.to_string()))?;
        let scale = match raw.scale {
            ScaleFile::OfstedGrades => Scale::OfstedGrades,
            ScaleFile::Numeric { min, max, bands } => {
                let starts = bands
                    .iter()
                    .map(|(grade, from)| {
                        Grade::parse(grade)
                            .map(|g| (g, *from))
                            .map_err(|e| invalid(file, format!("scale.bands: {e}")))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Scale::Numeric(
                    NumericScale::new(min, max, &starts)
                        .map_err(|e| invalid(file, format!("scale: {e}")))?,
                )
            }
        };
        let domains = raw
            .domains
            .into_iter()
            .map(|d| {
                DomainKey::parse(&d.key)
                    .map(|key| Domain::new(key, &d.title, &d.guidance, d.not_applicable))
                    .map_err(|e| invalid(file, e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        AuditTemplate::new(key, &raw.name, raw.audit_type, scale, domains)
            .map_err(|e| invalid(file, e.to_string()))
    }

    /// The template in the file format [`parse_toml`](Self::parse_toml) reads: how an
    /// LA's edited copy is saved and exported.
    pub fn to_toml(&self) -> String {
        let scale = match &self.scale {
            Scale::OfstedGrades => ScaleFile::OfstedGrades,
            Scale::Numeric(n) => ScaleFile::Numeric {
                min: n.min(),
                max: n.max(),
                bands: n
                    .bands()
                    .iter()
                    .map(|b| (b.grade.key().to_string(), b.from))
                    .collect(),
            },
        };
        let file = TemplateFile {
            key: self.key.to_string(),
            name: self.name.clone(),
            audit_type: self.audit_type,
            scale,
            domains: self
                .domains
                .iter()
                .map(|d| DomainFile {
                    key: d.key.to_string(),
                    title: d.title.clone(),
                    guidance: d.guidance.clone(),
                    not_applicable: d.not_applicable_allowed,
                })
                .collect(),
        };
        toml::to_string(&file).expect("a template always serialises")
    }
}

/// The templates an LA can choose from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditTemplates(Vec<AuditTemplate>);

impl AuditTemplates {
    /// Parses template files (name, text); keys must be unique.
    pub fn parse(files: &[(&str, &str)]) -> Result<AuditTemplates, AuditDataError> {
        let mut templates: Vec<AuditTemplate> = Vec::new();
        for (file, text) in files {
            let template = AuditTemplate::parse_toml(file, text)?;
            if templates.iter().any(|t| t.key == template.key) {
                return Err(invalid(
                    file,
                    format!("template key '{}' is used by another file", template.key),
                ));
            }
            templates.push(template);
        }
        Ok(AuditTemplates(templates))
    }

    /// The templates shipped in `data/audit/templates/`.
    pub fn bundled() -> AuditTemplates {
        AuditTemplates::parse(&[
            (
                "ilacs-quality.toml",
                include_str!("../../../../data/audit/templates/ilacs-quality.toml"),
            ),
            (
                "signs-of-safety.toml",
                include_str!("../../../../data/audit/templates/signs-of-safety.toml"),
            ),
        ])
        .expect("bundled audit templates are valid (tested)")
    }

    pub fn all(&self) -> &[AuditTemplate] {
        &self.0
    }

    pub fn get(&self, key: &TemplateKey) -> Option<&AuditTemplate> {
        self.0.iter().find(|t| &t.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> DomainKey {
        DomainKey::parse(s).unwrap()
    }

    fn quality() -> AuditTemplate {
        AuditTemplates::bundled()
            .get(&TemplateKey::parse("ilacs-quality").unwrap())
            .unwrap()
            .clone()
    }

    #[test]
    fn bundled_quality_template_has_the_typical_domains() {
        let t = quality();
        assert_eq!(t.name(), "Quality of practice audit");
        assert_eq!(t.audit_type(), AuditType::Quality);
        assert_eq!(t.scale(), &Scale::OfstedGrades);
        let keys: Vec<_> = t.domains().iter().map(|d| d.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "history_and_chronology",
                "assessment_of_need_and_risk",
                "planning_and_review",
                "voice_of_the_child",
                "multi_agency_work",
                "management_oversight_and_supervision",
                "impact_and_outcomes",
                "recording",
                "family_feedback",
            ]
        );
        for d in t.domains() {
            // Guidance is real prose of two or three sentences, one paragraph.
            let sentences = d.guidance.matches(". ").count() + 1;
            assert!((2..=3).contains(&sentences), "{}: {}", d.key, d.guidance);
            assert!(d.guidance.ends_with('.') && !d.guidance.contains('\n'));
        }
        let allowed: Vec<_> = t
            .domains()
            .iter()
            .filter(|d| d.not_applicable_allowed)
            .map(|d| d.key.as_str())
            .collect();
        assert_eq!(allowed, ["family_feedback"]);
    }

    #[test]
    fn bundled_signs_of_safety_template_scales_nought_to_ten() {
        let all = AuditTemplates::bundled();
        assert_eq!(all.all().len(), 2);
        let t = all
            .get(&TemplateKey::parse("signs-of-safety").unwrap())
            .unwrap();
        let Scale::Numeric(scale) = t.scale() else {
            panic!("numeric scale expected");
        };
        assert_eq!((scale.min(), scale.max()), (0, 10));
        assert_eq!(scale.band(6), Some(Grade::RequiresImprovement));
        assert_eq!(scale.band(7), Some(Grade::Good));
        assert!(t.domains().len() >= 3);
        assert!(
            t.domain(&key("safety_network"))
                .unwrap()
                .not_applicable_allowed
        );
    }

    #[test]
    fn templates_round_trip_through_their_file_format() {
        for t in AuditTemplates::bundled().all() {
            let again = AuditTemplate::parse_toml("saved.toml", &t.to_toml()).unwrap();
            assert_eq!(&again, t);
        }
    }

    #[test]
    fn a_copy_is_edited_without_touching_the_original() {
        let original = quality();
        let mut mine = original
            .copy_as(TemplateKey::parse("our-audit").unwrap(), " Our audit ")
            .unwrap();
        assert_eq!(mine.key().as_str(), "our-audit");
        assert_eq!(mine.name(), "Our audit");
        mine.add_domain(Domain::new(key("education"), "Education", "", false))
            .unwrap();
        mine.remove_domain(&key("recording")).unwrap();
        mine.rename_domain(&key("voice_of_the_child"), "The child's lived experience")
            .unwrap();
        mine.move_domain(&key("education"), 0).unwrap();
        mine.set_not_applicable_allowed(&key("multi_agency_work"), true)
            .unwrap();
        assert_eq!(mine.domains()[0].key.as_str(), "education");
        assert_eq!(mine.domains().len(), original.domains().len());
        assert!(mine.domain(&key("recording")).is_none());
        assert_eq!(
            mine.domain(&key("voice_of_the_child")).unwrap().title,
            "The child's lived experience"
        );
        assert!(
            mine.domain(&key("multi_agency_work"))
                .unwrap()
                .not_applicable_allowed
        );
        assert_eq!(original, quality(), "the original is unchanged");
    }

    #[test]
    fn edits_that_would_break_a_template_are_refused() {
        let mut t = quality();
        let before = t.clone();
        assert_eq!(
            t.add_domain(Domain::new(key("recording"), "Again", "", false)),
            Err(TemplateError::DuplicateDomain(key("recording")))
        );
        assert_eq!(
            t.add_domain(Domain::new(key("new_one"), "  ", "", false)),
            Err(TemplateError::BlankDomainTitle(key("new_one")))
        );
        assert_eq!(
            t.remove_domain(&key("nope")),
            Err(TemplateError::UnknownDomain(key("nope")))
        );
        assert_eq!(
            t.rename_domain(&key("recording"), ""),
            Err(TemplateError::BlankDomainTitle(key("recording")))
        );
        assert_eq!(t.rename(" "), Err(TemplateError::BlankName));
        assert_eq!(
            t.copy_as(t.key().clone(), "Mine").unwrap_err(),
            TemplateError::KeyInUse(t.key().clone())
        );
        assert_eq!(
            t.copy_as(TemplateKey::parse("x").unwrap(), "").unwrap_err(),
            TemplateError::BlankName
        );
        assert_eq!(t, before, "a refused edit changes nothing");

        let only = vec![Domain::new(key("only"), "Only", "", false)];
        let mut single = AuditTemplate::new(
            TemplateKey::parse("single").unwrap(),
            "Single",
            AuditType::Compliance,
            Scale::OfstedGrades,
            only,
        )
        .unwrap();
        assert_eq!(
            single.remove_domain(&key("only")),
            Err(TemplateError::LastDomain(key("only")))
        );
        assert_eq!(
            AuditTemplate::new(
                TemplateKey::parse("empty").unwrap(),
                "Empty",
                AuditType::Thematic,
                Scale::OfstedGrades,
                vec![]
            ),
            Err(TemplateError::NoDomains)
        );
        let twice = vec![
            Domain::new(key("a"), "A", "", false),
            Domain::new(key("a"), "A again", "", false),
        ];
        assert_eq!(
            AuditTemplate::new(
                TemplateKey::parse("twice").unwrap(),
                "Twice",
                AuditType::MultiAgency,
                Scale::OfstedGrades,
                twice
            ),
            Err(TemplateError::DuplicateDomain(key("a")))
        );
    }

    #[test]
    fn bad_template_files_are_reported_by_name() {
        let head = "key = 't'\nname = 'T'\naudit_type = 'quality'\n";
        let domain = "[[domains]]\nkey = 'a'\ntitle = 'A'\n";
        let err = |text: &str| {
            AuditTemplate::parse_toml("t.toml", text)
                .unwrap_err()
                .to_string()
        };
        let numeric = |bands: &str| {
            format!("{head}[scale]\nkind = 'numeric'\nmin = 0\nmax = 10\n[scale.bands]\n{bands}\n{domain}")
        };
        assert!(
            err(&numeric("good = 5\ninadequate = 2")).starts_with("t.toml: scale: the worst band")
        );
        assert!(err(&numeric("great = 5\ninadequate = 0")).contains("'great' is not a grade"));
        assert!(err(&format!(
            "{head}[scale]\nkind = 'numeric'\nmin = 5\nmax = 1\n[scale.bands]\ngood = 1\n{domain}"
        ))
        .contains("minimum (5) must be below its maximum (1)"));
        assert!(err(&format!("{head}[scale]\nkind = 'stars'\n{domain}")).starts_with("t.toml:"));
        assert!(err(&format!("{head}[scale]\nkind = 'ofsted_grades'\n")).starts_with("t.toml:"));
        assert!(err(&format!(
            "{head}domains = []\n[scale]\nkind = 'ofsted_grades'\n"
        ))
        .contains("at least one domain"));
        assert!(err(&format!(
            "{head}[scale]\nkind = 'ofsted_grades'\n[[domains]]\nkey = 'Bad Key'\ntitle = 'A'\n"
        ))
        .contains("'Bad Key' is not a domain key"));
        assert!(err(&format!(
            "{head}[scale]\nkind = 'ofsted_grades'\n{domain}{domain}"
        ))
        .contains("used twice"));
        let file = format!("{head}[scale]\nkind = 'ofsted_grades'\n{domain}");
        assert!(AuditTemplate::parse_toml("t.toml", &file).is_ok());
        assert!(
            AuditTemplates::parse(&[("a.toml", &file), ("b.toml", &file)])
                .unwrap_err()
                .to_string()
                .starts_with("b.toml: template key 't'")
        );
    }

    #[test]
    fn audit_types_have_keys() {
        for t in AuditType::ALL {
            assert_eq!(AuditType::parse_key(t.key()), Some(t));
        }
        assert_eq!(
            AuditType::parse_key("multi-agency"),
            Some(AuditType::MultiAgency)
        );
        assert_eq!(AuditType::parse_key("peer"), None);
    }
}
