//! Local authorities and Ofsted's regions.

use serde::{Deserialize, Serialize};

/// An LA's old three-digit DfE code (e.g. `301`): the stable key, since E-codes change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LaCode(String);

/// An ONS (GSS) area code such as `E09000002`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GssCode(String);

/// An Ofsted region's identifier, e.g. `london` (the list is data: `ofsted-regions.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("'{0}' is not an LA code: expected three digits, such as 301")]
    LaCode(String),
    #[error("'{0}' is not an area code: expected E followed by eight digits, such as E09000002")]
    GssCode(String),
    #[error("'{0}' is not a region identifier: expected lower-case words joined by hyphens")]
    Region(String),
}

impl LaCode {
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim();
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(LaCode(s.to_string()))
        } else {
            Err(CodeError::LaCode(input.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl GssCode {
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim().to_ascii_uppercase();
        if s.len() == 9 && s.starts_with('E') && s[1..].bytes().all(|b| b.is_ascii_digit()) {
            Ok(GssCode(s))
        } else {
            Err(CodeError::GssCode(input.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl RegionId {
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim();
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(RegionId(s.to_string()))
        } else {
            Err(CodeError::Region(input.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype_conversions!(CodeError: LaCode, GssCode, RegionId);

/// Either kind of code a user may type or a URL may carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorityRef {
    La(LaCode),
    Gss(GssCode),
}

impl AuthorityRef {
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        LaCode::parse(input)
            .map(AuthorityRef::La)
            .or_else(|_| GssCode::parse(input).map(AuthorityRef::Gss))
            .map_err(|_| CodeError::LaCode(input.to_string()))
    }
}

/// One of Ofsted's social care regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub id: RegionId,
    pub name: String,
    /// The ONS regions it covers (North East and Yorkshire and the Humber are one).
    pub ons_regions: Vec<String>,
}

/// A local authority with children's services responsibilities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalAuthority {
    pub la_code: LaCode,
    /// The current area code; other codes it has had are in `former_codes`.
    pub gss_code: GssCode,
    pub name: String,
    pub region: RegionId,
    pub ons_region: String,
    pub la_type: Option<String>,
    pub population_0_25: Option<u32>,
    /// False for authorities that no longer exist (Cumbria, Northamptonshire, ...).
    pub current: bool,
    /// DfE statistical neighbours, closest first.
    pub statistical_neighbours: Vec<LaCode>,
    /// Every other area code the authority has been known by.
    pub other_codes: Vec<GssCode>,
}

/// The regions, parsed from `ofsted-regions.csv` (columns `ofsted_region,name,ons_region`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regions(Vec<Region>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionsError {
    #[error("regions file, line {line}: {message}")]
    Line { line: u64, message: String },
}

impl Regions {
    pub fn parse_csv(text: &str) -> Result<Regions, RegionsError> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut regions: Vec<Region> = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let line = index as u64 + 2;
            let record = record.map_err(|e| RegionsError::Line {
                line,
                message: e.to_string(),
            })?;
            let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
            let id = RegionId::parse(&field(0)).map_err(|e| RegionsError::Line {
                line,
                message: e.to_string(),
            })?;
            let (name, ons) = (field(1), field(2));
            if name.is_empty() || ons.is_empty() {
                return Err(RegionsError::Line {
                    line,
                    message: "name and ons_region must not be blank".into(),
                });
            }
            match regions.iter_mut().find(|r| r.id == id) {
                Some(region) => region.ons_regions.push(ons),
                None => regions.push(Region {
                    id,
                    name,
                    ons_regions: vec![ons],
                }),
            }
        }
        Ok(Regions(regions))
    }

    /// The regions as shipped in `data/reference/ofsted-regions.csv`.
    pub fn bundled() -> Regions {
        Regions::parse_csv(include_str!("../../../data/reference/ofsted-regions.csv"))
            .expect("bundled regions file is valid (tested)")
    }

    pub fn all(&self) -> &[Region] {
        &self.0
    }

    pub fn get(&self, id: &RegionId) -> Option<&Region> {
        self.0.iter().find(|r| &r.id == id)
    }

    /// The Ofsted region for an ONS region name, case-insensitively.
    pub fn for_ons_region(&self, ons_region: &str) -> Option<&Region> {
        let wanted = ons_region.trim();
        self.0
            .iter()
            .find(|r| r.ons_regions.iter().any(|o| o.eq_ignore_ascii_case(wanted)))
    }

    /// The Ofsted region by its published name (as in Ofsted's outcomes workbook).
    pub fn by_name(&self, name: &str) -> Option<&Region> {
        self.0
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_and_reject() {
        assert_eq!(LaCode::parse(" 301 ").unwrap().as_str(), "301");
        assert!(LaCode::parse("30").is_err());
        assert!(LaCode::parse("E09000002").is_err());
        assert_eq!(GssCode::parse("e09000002").unwrap().as_str(), "E09000002");
        assert!(GssCode::parse("W06000001x").is_err());
        assert_eq!(
            AuthorityRef::parse("E09000002").unwrap(),
            AuthorityRef::Gss(GssCode::parse("E09000002").unwrap())
        );
    }

    #[test]
    fn bundled_regions_are_ofsteds_eight() {
        let regions = Regions::bundled();
        assert_eq!(regions.all().len(), 8);
        let ne = regions.for_ons_region("Yorkshire and the Humber").unwrap();
        assert_eq!(ne.name, "North East, Yorkshire and the Humber");
        assert_eq!(regions.for_ons_region("north east").unwrap().id, ne.id);
        assert!(regions.by_name("London").is_some());
    }
}
