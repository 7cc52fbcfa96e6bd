//! Reference data from the files shipped in the program or given on the command line.

use anyhow::Context;
use ilacs_import::ReferenceFiles;
use ilacs_store::ReferenceData;
use std::path::Path;

/// Reads the LA lookup (shipped, or the file given) and the outcomes workbook, and
/// resolves every activity to an LA. Nothing is written.
pub fn load(
    local_authorities: Option<&Path>,
    outcomes: Option<&Path>,
) -> anyhow::Result<(ReferenceData, String)> {
    let la_text = local_authorities
        .map(|p| {
            std::fs::read_to_string(p).with_context(|| format!("could not read {}", p.display()))
        })
        .transpose()?;
    let files = ReferenceFiles {
        local_authorities: la_text
            .as_deref()
            .unwrap_or(ilacs_import::bundled::LOCAL_AUTHORITIES_CSV),
        ..ilacs_import::bundled::reference_files()
    };
    let (bytes, source) = match outcomes {
        Some(p) => (
            std::fs::read(p).with_context(|| format!("could not read {}", p.display()))?,
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        ),
        None => (
            ilacs_import::bundled::OUTCOMES_WORKBOOK.to_vec(),
            ilacs_import::bundled::OUTCOMES_WORKBOOK_FILE_NAME.to_string(),
        ),
    };
    let data = ilacs_import::read_reference(&files, &bytes, &source).map_err(|e| {
        // Errors name the lookup by its usual file name; say which file was really read.
        match (local_authorities, &e) {
            (Some(path), ilacs_import::ImportError::Reference(_)) => {
                anyhow::Error::new(e).context(format!("in {}", path.display()))
            }
            _ => e.into(),
        }
    })?;
    Ok((data, source))
}
