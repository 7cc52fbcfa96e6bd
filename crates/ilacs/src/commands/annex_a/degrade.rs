//! `ilacs annex-a degrade`: the clean lists pseudonymised with the LA's key, ready to
//! leave the LA.

use anyhow::Context;
use ilacs_annexa::Key;
use std::path::{Path, PathBuf};

/// A key file is a few dozen bytes; anything large is not one.
const MAX_KEY_BYTES: u64 = 4096;

pub(super) fn run(files: &[PathBuf], key_file: &Path, out: &Path) -> anyhow::Result<()> {
    // The key first: no point reading a large workbook to fail on it.
    let key = read_key(key_file)?;
    let annex = super::read(files)?;
    let degraded = ilacs_annexa::degrade(&annex, &key);
    let bytes = ilacs_annexa::write_clean_xlsx(&degraded)?;
    super::super::export::write_whole(out, &bytes)?;
    let kept: usize = degraded.lists.iter().map(|l| l.rows_kept()).sum();
    let blanked = degraded.issues.len() - annex.issues.len();
    println!(
        "Wrote {} ({} bytes): {} lists, {kept} rows; IDs, workers and teams pseudonymised with the key in {}, dates of birth to the month, postcodes to their sector{}. {} issues in reading (`ilacs annex-a check` lists them).",
        out.display(),
        bytes.len(),
        degraded.lists.len(),
        key_file.display(),
        match blanked {
            0 => String::new(),
            1 => " (1 placement postcode was not a postcode and is blank)".into(),
            n => format!(" ({n} placement postcodes were not postcodes and are blank)"),
        },
        annex.issues.len()
    );
    Ok(())
}

fn read_key(path: &Path) -> anyhow::Result<Key> {
    let how = "make one with `head -c 32 /dev/urandom > annex-a.key`, keep it apart from the data, and use the same key for every upload";
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read the key file {} ({how})", path.display()))?
        .len();
    if size > MAX_KEY_BYTES {
        anyhow::bail!(
            "{} is {size} bytes: not a key file (a key is 16 to {MAX_KEY_BYTES} bytes; {how})",
            path.display()
        );
    }
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the key file {} ({how})", path.display()))?;
    Key::from_bytes(&bytes).with_context(|| format!("the key file {}", path.display()))
}
