//! The repository's reference data, compiled in so the binary needs no files at run time.

use crate::local_authorities::{read_local_authorities, ReferenceError, ReferenceFiles};
use crate::outcomes_workbook::{read_outcomes_workbook, OutcomesWorkbook, WorkbookError};
use crate::published::{read_published, PublishedError};
use crate::reference::{read_reference, ImportError};
use ilacs_domain::authority::{LocalAuthority, Regions};
use ilacs_domain::indicators::{Definitions, PublishedStatistics};
use ilacs_domain::reference::ReferenceData;

pub const LOCAL_AUTHORITIES_CSV: &str =
    include_str!("../../../data/reference/local-authorities.csv");
pub const OFSTED_REGIONS_CSV: &str = include_str!("../../../data/reference/ofsted-regions.csv");
pub const LA_CODE_ALIASES_CSV: &str = include_str!("../../../data/reference/la-code-aliases.csv");
pub const FORMER_LOCAL_AUTHORITIES_CSV: &str =
    include_str!("../../../data/reference/former-local-authorities.csv");

/// Ofsted's workbook as published (an ODS file).
pub const OUTCOMES_WORKBOOK: &[u8] =
    include_bytes!("../../../data/published/LA_Inspection_Outcomes_as_at_31_March_2025.ods");
pub const OUTCOMES_WORKBOOK_FILE_NAME: &str = "LA_Inspection_Outcomes_as_at_31_March_2025.ods";

pub fn reference_files() -> ReferenceFiles<'static> {
    ReferenceFiles {
        local_authorities: LOCAL_AUTHORITIES_CSV,
        regions: OFSTED_REGIONS_CSV,
        aliases: LA_CODE_ALIASES_CSV,
        former: FORMER_LOCAL_AUTHORITIES_CSV,
    }
}

/// The regions and every local authority from the bundled files.
pub fn local_authorities() -> Result<(Regions, Vec<LocalAuthority>), ReferenceError> {
    read_local_authorities(&reference_files())
}

/// Everything bundled, resolved and merged: what `ilacs demo` loads.
pub fn reference() -> Result<ReferenceData, ImportError> {
    read_reference(
        &reference_files(),
        OUTCOMES_WORKBOOK,
        OUTCOMES_WORKBOOK_FILE_NAME,
    )
}

/// The bundled outcomes workbook, read (about a tenth of a second: call it once).
pub fn outcomes_workbook() -> Result<OutcomesWorkbook, WorkbookError> {
    read_outcomes_workbook(OUTCOMES_WORKBOOK)
}

/// `(file name, contents)` for each file in `data/published/`, by the name DfE gives it.
macro_rules! published_files {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_bytes!(concat!("../../../data/published/", $name)) as &[u8])),*]
    };
}

/// DfE's published statistics files as shipped in `data/published/`: the files the
/// bundled indicator definitions read (a test checks the two lists agree).
pub const PUBLISHED_FILES: [(&str, &[u8]); 9] = published_files![
    "b1_children_in_need_2013_to_2025.csv",
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "cla_number_and_rate_per_10k_children.csv",
    "csww_indicators_2017_to_2025.csv",
    "d3_cpps_subsequent_plan_2013_to_2025.csv",
    "d5_cpps_at31march_by_duration_2013_to_2025.csv",
    "la_care_leavers_accommodation_suitability.csv",
    "la_care_leavers_activity.csv",
    "la_cla_placement_stability.csv",
];

/// The bundled published statistics, read with the bundled indicator definitions and
/// matched to `authorities` (the bundled LAs: [`local_authorities`]).
pub fn published_statistics(
    authorities: &[LocalAuthority],
) -> Result<PublishedStatistics, PublishedError> {
    read_published(&Definitions::bundled(), authorities, &PUBLISHED_FILES)
}

/// The counts the Annex A generator sizes an LA's return by (`data/annex_a/volumes.toml`).
pub const ANNEX_A_VOLUMES_TOML: &str = include_str!("../../../data/annex_a/volumes.toml");

/// The published indicators and the Annex A generator's counts, in one read of the
/// bundled files: `data/annex_a/volumes.toml` is read as more indicator definitions
/// alongside `data/indicators/published.toml` (whose regions and area codes place its
/// rows as they place every other).
pub fn annex_a_statistics(
    authorities: &[LocalAuthority],
) -> Result<PublishedStatistics, PublishedError> {
    // Both files hold only arrays of tables, so one after the other is one TOML file.
    let text = format!(
        "{ANNEX_A_VOLUMES_TOML}\n{}",
        include_str!("../../../data/indicators/published.toml")
    );
    let definitions = Definitions::parse_toml("data/annex_a/volumes.toml", &text)
        .expect("the bundled Annex A volumes are valid indicator definitions (tested)");
    read_published(&definitions, authorities, &PUBLISHED_FILES)
}
