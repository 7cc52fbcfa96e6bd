//! The indicator definitions, parsed from `data/indicators/published.toml`.

use crate::authority::{GssCode, LaCode};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefinitionError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

fn invalid(file: &str, message: impl Into<String>) -> DefinitionError {
    DefinitionError::Invalid {
        file: file.to_string(),
        message: message.into(),
    }
}

/// An indicator's identifier, e.g. `re_referral_rate`: lower-case letters, digits and
/// underscores, starting with a letter. It is the stable name in the API and storage.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IndicatorId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not an indicator id: expected lower-case letters, digits and underscores, such as re_referral_rate")]
pub struct IndicatorIdError(String);

impl IndicatorId {
    pub fn parse(input: &str) -> Result<IndicatorId, IndicatorIdError> {
        let ok = input.len() <= 64
            && input.starts_with(|c: char| c.is_ascii_lowercase())
            && input
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(IndicatorId(input.to_string()))
        } else {
            Err(IndicatorIdError(input.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype_conversions!(IndicatorIdError: IndicatorId);

/// What an indicator's numbers count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Percent,
    /// Per 10,000 children.
    #[serde(rename = "rate_per_10k")]
    RatePer10k,
    /// A number of children, cases or episodes: England's and a region's are totals.
    Count,
    /// Any other figure, such as an average caseload.
    Number,
}

impl Unit {
    pub fn key(self) -> &'static str {
        match self {
            Unit::Percent => "percent",
            Unit::RatePer10k => "rate_per_10k",
            Unit::Count => "count",
            Unit::Number => "number",
        }
    }

    /// How a figure in this unit is written after its number ("%", " per 10,000").
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::RatePer10k => " per 10,000",
            Unit::Count | Unit::Number => "",
        }
    }
}

/// Which direction is better, for charts' reading aids. `Neither` where the figure
/// alone cannot say (more children looked after is not in itself better or worse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    HigherIsBetter,
    LowerIsBetter,
    Neither,
}

impl Polarity {
    pub fn key(self) -> &'static str {
        match self {
            Polarity::HigherIsBetter => "higher_is_better",
            Polarity::LowerIsBetter => "lower_is_better",
            Polarity::Neither => "neither",
        }
    }
}

/// How a published figure becomes the indicator's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// 100 minus the published percentage (care leavers in touch are those whose
    /// information is known).
    Complement,
}

/// A row filter: the column must hold exactly this value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub column: String,
    pub value: String,
}

/// Where an indicator is read from: the file, its value column, and the rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file's name as DfE publishes it.
    pub file: String,
    pub column: String,
    pub filters: Vec<Filter>,
    pub transform: Option<Transform>,
}

/// One published indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub id: IndicatorId,
    pub label: String,
    pub unit: Unit,
    pub polarity: Polarity,
    /// The decimal places DfE publishes it with.
    pub decimals: u8,
    pub description: String,
    pub source: Source,
}

impl Indicator {
    /// A number as this indicator is published (`22.6`, `67`), without its unit: for
    /// figures computed here, such as the neighbours' average.
    /// Halves round away from zero, as DfE rounds (not to even, as `format!` does).
    pub fn format_number(&self, number: f64) -> String {
        let scale = 10f64.powi(i32::from(self.decimals));
        let rounded = (number * scale).round() / scale;
        format!("{rounded:.*}", usize::from(self.decimals))
    }
}

/// An ONS region (or Inner or Outer London) and the name the LA reference data uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnsRegion {
    pub code: GssCode,
    pub name: String,
}

/// An area code in DfE's files that the LA reference data does not know, and whose rows
/// it is: none (not loaded, deliberately), one LA, or several sharing one figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaCodeRule {
    /// As DfE writes it in `new_la_code` (`E10000023`, `E06000061 / E06000062`).
    pub code: String,
    pub la_codes: Vec<LaCode>,
    /// Why: reported when rows are read this way.
    pub note: String,
}

/// Every indicator, the regions, and the extra area codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definitions {
    indicators: Vec<Indicator>,
    regions: Vec<OnsRegion>,
    area_codes: Vec<AreaCodeRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DefinitionsFile {
    indicator: Vec<IndicatorFile>,
    #[serde(default)]
    region: Vec<RegionFile>,
    #[serde(default)]
    area_code: Vec<AreaCodeFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorFile {
    id: String,
    label: String,
    unit: Unit,
    polarity: Polarity,
    decimals: u8,
    description: String,
    source: String,
    column: String,
    #[serde(default)]
    filters: BTreeMap<String, String>,
    transform: Option<Transform>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionFile {
    code: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaCodeFile {
    code: String,
    la_codes: Vec<String>,
    note: String,
}

/// The columns every file has and the reader uses to place a row: an indicator may not
/// take its value from, or filter on, one of them.
const GEOGRAPHY_COLUMNS: [&str; 5] = [
    "time_period",
    "geographic_level",
    "country_code",
    "region_code",
    "new_la_code",
];

impl Definitions {
    /// Parses the definitions file; `file` names it in errors.
    pub fn parse_toml(file: &str, text: &str) -> Result<Definitions, DefinitionError> {
        let raw: DefinitionsFile =
            toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
        if raw.indicator.is_empty() {
            return Err(invalid(file, "there are no [[indicator]] entries"));
        }
        let mut indicators: Vec<Indicator> = Vec::new();
        for i in raw.indicator {
            let id = IndicatorId::parse(&i.id).map_err(|e| invalid(file, e.to_string()))?;
            let at = |message: String| invalid(file, format!("indicator {id}: {message}"));
            if indicators.iter().any(|d| d.id == id) {
                return Err(at("appears twice".into()));
            }
            for (field, value) in [
                ("label", &i.label),
                ("description", &i.description),
                ("source", &i.source),
                ("column", &i.column),
            ] {
                if value.trim().is_empty() {
                    return Err(at(format!("{field} must not be blank")));
                }
            }
            if i.decimals > 6 {
                return Err(at("decimals must be at most 6".into()));
            }
            if i.transform == Some(Transform::Complement) && i.unit != Unit::Percent {
                return Err(at("only a percentage can be read as its complement".into()));
            }
            let mut columns: Vec<&str> = i.filters.keys().map(String::as_str).collect();
            columns.push(&i.column);
            if let Some(column) = columns.iter().find(|c| GEOGRAPHY_COLUMNS.contains(c)) {
                return Err(at(format!(
                    "'{column}' places rows: it cannot be a value or filter column"
                )));
            }
            if i.filters.contains_key(&i.column) {
                return Err(at(format!("'{}' is both the value and a filter", i.column)));
            }
            indicators.push(Indicator {
                id,
                label: i.label,
                unit: i.unit,
                polarity: i.polarity,
                decimals: i.decimals,
                description: i.description,
                source: Source {
                    file: i.source,
                    column: i.column,
                    filters: i
                        .filters
                        .into_iter()
                        .map(|(column, value)| Filter { column, value })
                        .collect(),
                    transform: i.transform,
                },
            });
        }

        let mut regions: Vec<OnsRegion> = Vec::new();
        for r in raw.region {
            let code = GssCode::parse(&r.code).map_err(|e| invalid(file, e.to_string()))?;
            let name = r.name.trim().to_string();
            if name.is_empty() {
                return Err(invalid(
                    file,
                    format!("region {code}: name must not be blank"),
                ));
            }
            if regions
                .iter()
                .any(|o| o.code == code || o.name.eq_ignore_ascii_case(&name))
            {
                return Err(invalid(
                    file,
                    format!("region {code} ({name}) appears twice"),
                ));
            }
            regions.push(OnsRegion { code, name });
        }

        let mut area_codes: Vec<AreaCodeRule> = Vec::new();
        let mut seen = HashSet::new();
        for a in raw.area_code {
            let code = a.code.trim().to_string();
            if code.is_empty() || !seen.insert(code.clone()) {
                return Err(invalid(
                    file,
                    format!("area code '{code}' is blank or appears twice"),
                ));
            }
            let la_codes = a
                .la_codes
                .iter()
                .map(|c| LaCode::parse(c))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| invalid(file, format!("area code {code}: {e}")))?;
            if a.note.trim().is_empty() {
                return Err(invalid(
                    file,
                    format!("area code {code}: say why in its note"),
                ));
            }
            area_codes.push(AreaCodeRule {
                code,
                la_codes,
                note: a.note,
            });
        }

        Ok(Definitions {
            indicators,
            regions,
            area_codes,
        })
    }

    /// The definitions as shipped in `data/indicators/published.toml`.
    pub fn bundled() -> Definitions {
        Definitions::parse_toml(
            "published.toml",
            include_str!("../../../../data/indicators/published.toml"),
        )
        .expect("bundled indicator definitions are valid (tested)")
    }

    /// Every indicator, in the file's order (the order pages show them in).
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    pub fn get(&self, id: &IndicatorId) -> Option<&Indicator> {
        self.indicators.iter().find(|i| &i.id == id)
    }

    /// The source files the indicators need, each once, in first-use order.
    pub fn source_files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = Vec::new();
        for i in &self.indicators {
            if !files.contains(&i.source.file.as_str()) {
                files.push(&i.source.file);
            }
        }
        files
    }

    /// The indicators read from one file.
    pub fn from_file<'a>(&'a self, file: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators
            .iter()
            .filter(move |i| i.source.file == file)
    }

    pub fn regions(&self) -> &[OnsRegion] {
        &self.regions
    }

    pub fn region(&self, code: &GssCode) -> Option<&OnsRegion> {
        self.regions.iter().find(|r| &r.code == code)
    }

    /// The region an LA's `ons_region` names, case-insensitively (DfE writes "Yorkshire
    /// and The Humber", the LA lookup "Yorkshire and the Humber").
    pub fn region_named(&self, ons_region: &str) -> Option<&OnsRegion> {
        let wanted = ons_region.trim();
        self.regions
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(wanted))
    }

    pub fn area_codes(&self) -> &[AreaCodeRule] {
        &self.area_codes
    }

    pub fn area_code(&self, code: &str) -> Option<&AreaCodeRule> {
        self.area_codes.iter().find(|a| a.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> IndicatorId {
        IndicatorId::parse(s).unwrap()
    }

    #[test]
    fn bundled_definitions_parse_with_the_required_indicators() {
        let d = Definitions::bundled();
        for required in [
            "re_referral_rate",
            "children_in_need",
            "cpp_subsequent_rate",
            "cpp_two_years_or_more_rate",
            "cla_rate_per_10k",
            "placement_stability",
            "care_leavers_in_touch",
            "care_leavers_suitable_accommodation",
            "care_leavers_eet",
            "sw_turnover_rate",
            "sw_agency_rate",
            "sw_vacancy_rate",
            "sw_caseload",
        ] {
            assert!(d.get(&id(required)).is_some(), "{required}");
        }
        assert_eq!(d.source_files().len(), 9);
        assert_eq!(d.from_file("csww_indicators_2017_to_2025.csv").count(), 4);
        let stability = d.get(&id("placement_stability")).unwrap();
        assert_eq!(stability.polarity, Polarity::HigherIsBetter);
        assert_eq!(stability.source.filters.len(), 2);
        let in_touch = d.get(&id("care_leavers_in_touch")).unwrap();
        assert_eq!(in_touch.source.transform, Some(Transform::Complement));
        assert_eq!(d.regions().len(), 11);
        assert_eq!(
            d.region_named("yorkshire and the humber").unwrap().code,
            GssCode::parse("E12000003").unwrap()
        );
        let shared = d.area_code("E09000021 / E09000027").unwrap();
        assert_eq!(shared.la_codes.len(), 2);
        assert!(d.area_code("E10000009").unwrap().la_codes.is_empty());
    }

    #[test]
    fn every_ons_region_of_the_reference_data_has_a_code() {
        let d = Definitions::bundled();
        for region in crate::authority::Regions::bundled().all() {
            for ons in &region.ons_regions {
                assert!(d.region_named(ons).is_some(), "{ons}");
            }
        }
    }

    #[test]
    fn numbers_format_to_the_published_places() {
        let d = Definitions::bundled();
        assert_eq!(
            d.get(&id("re_referral_rate"))
                .unwrap()
                .format_number(22.649),
            "22.6"
        );
        assert_eq!(
            d.get(&id("cla_rate_per_10k"))
                .unwrap()
                .format_number(66.5001),
            "67"
        );
        let caseload = d.get(&id("sw_caseload")).unwrap();
        assert_eq!(caseload.format_number(16.25), "16.3");
        assert_eq!(caseload.format_number(0.0), "0.0");
    }

    const ONE: &str = "[[indicator]]\nid = 'a'\nlabel = 'A'\nunit = 'percent'\npolarity = 'neither'\ndecimals = 1\ndescription = 'd'\nsource = 'f.csv'\ncolumn = 'v'\n";

    #[test]
    fn bad_definitions_are_reported_by_file() {
        assert!(Definitions::parse_toml("p.toml", ONE).is_ok());
        let err = |text: &str| {
            Definitions::parse_toml("p.toml", text)
                .unwrap_err()
                .to_string()
        };
        assert!(err(&format!("{ONE}{ONE}")).contains("indicator a: appears twice"));
        assert!(err(&ONE.replace("'percent'", "'percentage'")).starts_with("p.toml: "));
        assert!(err(&ONE.replace("id = 'a'", "id = 'A b'")).contains("not an indicator id"));
        assert!(err(&ONE.replace("'v'", "'new_la_code'")).contains("places rows"));
        assert!(err(&ONE
            .replace("'percent'", "'count'")
            .replace("column = 'v'\n", "column = 'v'\ntransform = 'complement'\n"))
        .contains("complement"));
        assert!(err(&format!("{ONE}colour = 'red'\n")).contains("colour"));
        assert!(err(&format!(
            "{ONE}[[area_code]]\ncode = 'E1'\nla_codes = ['81']\nnote = 'n'\n"
        ))
        .contains("'81' is not an LA code"));
        assert!(
            err(&format!("{ONE}[[region]]\ncode = 'E12000001'\nname = ''\n"))
                .contains("must not be blank")
        );
        assert!(err("").contains("missing field `indicator`"));
    }
}
