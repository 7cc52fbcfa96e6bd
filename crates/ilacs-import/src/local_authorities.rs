//! The local-authority reference files: DfE's LA lookup, Ofsted's regions, extra area
//! codes and former authorities, read into [`LocalAuthority`] values.

use ilacs_domain::authority::{GssCode, LaCode, LocalAuthority, Regions};
use std::collections::HashMap;

/// File names used in error messages; the texts themselves come from the caller.
pub const LOCAL_AUTHORITIES_FILE: &str = "local-authorities.csv";
pub const REGIONS_FILE: &str = "ofsted-regions.csv";
pub const ALIASES_FILE: &str = "la-code-aliases.csv";
pub const FORMER_FILE: &str = "former-local-authorities.csv";

/// The texts of the four reference files (see `data/reference/`).
#[derive(Debug, Clone, Copy)]
pub struct ReferenceFiles<'a> {
    /// `local-authorities.csv`: DfE's lookup, one row per LA (a UTF-8 BOM is allowed).
    pub local_authorities: &'a str,
    /// `ofsted-regions.csv`: Ofsted regions and the ONS regions they cover.
    pub regions: &'a str,
    /// `la-code-aliases.csv`: other area codes an LA has had (`la_code,gss_code,note`).
    pub aliases: &'a str,
    /// `former-local-authorities.csv`: LAs in Ofsted's history but not in the lookup.
    pub former: &'a str,
}

/// What is wrong with a reference file, and where. Lines are 1-based; the header is line 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("{file}, line {line}, column '{column}': {message}")]
    Field {
        file: &'static str,
        line: u64,
        column: &'static str,
        message: String,
    },
    #[error("{file}, line {line}: {message}")]
    Line {
        file: &'static str,
        line: u64,
        message: String,
    },
    #[error("{file}: the header has no column '{column}'")]
    MissingColumn {
        file: &'static str,
        column: &'static str,
    },
}

/// Reads the reference files into the regions and every local authority: the lookup's
/// rows in file order (current and defunct), then the former authorities.
pub fn read_local_authorities(
    files: &ReferenceFiles<'_>,
) -> Result<(Regions, Vec<LocalAuthority>), ReferenceError> {
    let regions = Regions::parse_csv(files.regions).map_err(|e| match e {
        ilacs_domain::authority::RegionsError::Line { line, message } => ReferenceError::Line {
            file: REGIONS_FILE,
            line,
            message,
        },
    })?;

    let mut las = Vec::new();
    let mut claims = Claims::default();
    let mut neighbour_cells: Vec<(u64, Vec<LaCode>)> = Vec::new();

    let lookup = Table::parse(LOCAL_AUTHORITIES_FILE, files.local_authorities)?;
    let [c_code, c_new, c_ltla, c_name, c_region, c_type, c_pop, c_neigh] = lookup.columns([
        "la_code",
        "la_code_new",
        "ltla23cd",
        "local_authority_ons_name",
        "region_name",
        "ons_la_type",
        "ons_population_0-25",
        "stat_neighbours",
    ])?;
    for row in lookup.rows() {
        let row = row?;
        let la_code = row.parse(c_code, LaCode::parse)?;
        claims.la_code(&row, c_code, &la_code)?;
        // A blank current code marks an authority that no longer exists; its last
        // code is the 2023 one.
        let current = !row.get(c_new).is_empty();
        let code_column = if current { c_new } else { c_ltla };
        let gss_code = row.parse(code_column, GssCode::parse)?;
        claims.area_code(&row, code_column, &gss_code, &la_code)?;
        let name = row.required(c_name)?.to_string();
        let (region, ons_region) = row.region(c_region, &regions)?;
        let la_type = Some(row.get(c_type))
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        let population_0_25 =
            match row.get(c_pop) {
                "" => None,
                text => Some(text.parse::<u32>().map_err(|_| {
                    row.field_error(c_pop, format!("'{text}' is not a whole number"))
                })?),
            };
        let neighbours = match row.get(c_neigh) {
            "" => Vec::new(),
            text => text
                .split(',')
                .map(|code| LaCode::parse(code).map_err(|e| row.field_error(c_neigh, e)))
                .collect::<Result<Vec<_>, _>>()?,
        };
        neighbour_cells.push((row.line, neighbours.clone()));
        las.push(LocalAuthority {
            la_code,
            gss_code,
            name,
            region,
            ons_region,
            la_type,
            population_0_25,
            current,
            statistical_neighbours: neighbours,
            other_codes: Vec::new(),
        });
    }

    // Neighbours must be LAs of the lookup itself (former authorities have none).
    for (line, neighbours) in &neighbour_cells {
        if let Some(unknown) = neighbours
            .iter()
            .find(|n| !las.iter().any(|l| &l.la_code == *n))
        {
            return Err(ReferenceError::Field {
                file: LOCAL_AUTHORITIES_FILE,
                line: *line,
                column: c_neigh.name,
                message: format!("statistical neighbour {unknown} is not an LA in this file"),
            });
        }
    }

    let former = Table::parse(FORMER_FILE, files.former)?;
    let [f_code, f_gss, f_name, f_region, f_successor] = former.columns([
        "la_code",
        "gss_code",
        "name",
        "ons_region",
        "successor_la_code",
    ])?;
    for row in former.rows() {
        let row = row?;
        let la_code = row.parse(f_code, LaCode::parse)?;
        claims.la_code(&row, f_code, &la_code)?;
        let gss_code = row.parse(f_gss, GssCode::parse)?;
        claims.area_code(&row, f_gss, &gss_code, &la_code)?;
        let name = row.required(f_name)?.to_string();
        let (region, ons_region) = row.region(f_region, &regions)?;
        // The successor is documentation only, but a typo in it would mislead readers.
        if !row.get(f_successor).is_empty() {
            let successor = row.parse(f_successor, LaCode::parse)?;
            if !las.iter().any(|l| l.la_code == successor) {
                return Err(row.field_error(
                    f_successor,
                    format!("{successor} is not an LA in {LOCAL_AUTHORITIES_FILE}"),
                ));
            }
        }
        las.push(LocalAuthority {
            la_code,
            gss_code,
            name,
            region,
            ons_region,
            la_type: None,
            population_0_25: None,
            current: false,
            statistical_neighbours: Vec::new(),
            other_codes: Vec::new(),
        });
    }

    let aliases = Table::parse(ALIASES_FILE, files.aliases)?;
    let [a_code, a_gss] = aliases.columns(["la_code", "gss_code"])?;
    for row in aliases.rows() {
        let row = row?;
        let la_code = row.parse(a_code, LaCode::parse)?;
        let gss_code = row.parse(a_gss, GssCode::parse)?;
        let la = las
            .iter_mut()
            .find(|l| l.la_code == la_code)
            .ok_or_else(|| row.field_error(a_code, format!("{la_code} is not a known LA")))?;
        claims.area_code(&row, a_gss, &gss_code, &la_code)?;
        la.other_codes.push(gss_code);
    }

    Ok((regions, las))
}

/// Where each code was first used, so a second use can point back at it. An area code
/// used twice would make resolving Ofsted's rows a guess.
#[derive(Default)]
struct Claims {
    la_codes: HashMap<LaCode, (&'static str, u64)>,
    area_codes: HashMap<GssCode, (LaCode, &'static str, u64)>,
}

impl Claims {
    fn la_code(
        &mut self,
        row: &Row<'_>,
        column: Column,
        code: &LaCode,
    ) -> Result<(), ReferenceError> {
        if let Some((file, line)) = self.la_codes.get(code) {
            return Err(row.field_error(
                column,
                format!("LA code {code} appears again (first at {file}, line {line})"),
            ));
        }
        self.la_codes.insert(code.clone(), (row.file, row.line));
        Ok(())
    }

    fn area_code(
        &mut self,
        row: &Row<'_>,
        column: Column,
        code: &GssCode,
        owner: &LaCode,
    ) -> Result<(), ReferenceError> {
        if let Some((first_owner, file, line)) = self.area_codes.get(code) {
            return Err(row.field_error(
                column,
                format!("area code {code} is already LA {first_owner}'s ({file}, line {line})"),
            ));
        }
        self.area_codes
            .insert(code.clone(), (owner.clone(), row.file, row.line));
        Ok(())
    }
}

/// A header column: its name (for messages) and position.
#[derive(Debug, Clone, Copy)]
struct Column {
    name: &'static str,
    index: usize,
}

/// A CSV file read whole, with its header.
struct Table {
    file: &'static str,
    header: Vec<String>,
    records: Vec<Result<(u64, csv::StringRecord), ReferenceError>>,
}

impl Table {
    fn parse(file: &'static str, text: &str) -> Result<Table, ReferenceError> {
        // DfE's lookup is saved by Excel with a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| csv_error(file, text, e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let records = reader
            .records()
            .map(|r| match r {
                Ok(record) => {
                    let line = record.position().map_or(0, |p| line_at(text, p.byte()));
                    Ok((line, record))
                }
                Err(e) => Err(csv_error(file, text, e)),
            })
            .collect();
        Ok(Table {
            file,
            header,
            records,
        })
    }

    fn columns<const N: usize>(
        &self,
        names: [&'static str; N],
    ) -> Result<[Column; N], ReferenceError> {
        let mut out = [Column { name: "", index: 0 }; N];
        for (slot, name) in out.iter_mut().zip(names) {
            let index = self.header.iter().position(|h| h == name).ok_or(
                ReferenceError::MissingColumn {
                    file: self.file,
                    column: name,
                },
            )?;
            *slot = Column { name, index };
        }
        Ok(out)
    }

    fn rows(&self) -> impl Iterator<Item = Result<Row<'_>, ReferenceError>> + '_ {
        self.records.iter().map(move |r| match r {
            Ok((line, record)) => Ok(Row {
                file: self.file,
                line: *line,
                record,
            }),
            Err(e) => Err(e.clone()),
        })
    }
}

fn csv_error(file: &'static str, text: &str, error: csv::Error) -> ReferenceError {
    let position = match error.kind() {
        csv::ErrorKind::Utf8 { pos, .. } | csv::ErrorKind::UnequalLengths { pos, .. } => {
            pos.as_ref()
        }
        _ => error.position(),
    };
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        _ => error.to_string(),
    };
    ReferenceError::Line {
        file,
        line: position.map_or(0, |p| line_at(text, p.byte())),
        message,
    }
}

/// The 1-based line a record starting at a byte offset begins on. The csv reader's own
/// line count skips blank lines, and its offsets point before them, so both would send
/// an editor to the wrong line.
fn line_at(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
        start += 1;
    }
    let newlines = bytes.iter().take(start).filter(|&&b| b == b'\n').count();
    newlines as u64 + 1
}

struct Row<'a> {
    file: &'static str,
    line: u64,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn get(&self, column: Column) -> &str {
        self.record.get(column.index).unwrap_or("").trim()
    }

    fn field_error(&self, column: Column, message: impl ToString) -> ReferenceError {
        ReferenceError::Field {
            file: self.file,
            line: self.line,
            column: column.name,
            message: message.to_string(),
        }
    }

    fn required(&self, column: Column) -> Result<&str, ReferenceError> {
        match self.get(column) {
            "" => Err(self.field_error(column, "must not be blank")),
            text => Ok(text),
        }
    }

    fn parse<T, E: ToString>(
        &self,
        column: Column,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Result<T, ReferenceError> {
        parse(self.get(column)).map_err(|e| self.field_error(column, e))
    }

    /// The Ofsted region and the ONS region name from an ONS region cell.
    fn region(
        &self,
        column: Column,
        regions: &Regions,
    ) -> Result<(ilacs_domain::authority::RegionId, String), ReferenceError> {
        let ons = self.required(column)?;
        let region = regions.for_ons_region(ons).ok_or_else(|| {
            self.field_error(
                column,
                format!("'{ons}' is not an ONS region listed in {REGIONS_FILE}"),
            )
        })?;
        Ok((region.id.clone(), ons.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGIONS: &str = "ofsted_region,name,ons_region\nlondon,London,London\n";
    const HEADER: &str = "la_code,la_code_new,ltla23cd,local_authority_ons_name,region_name,ons_la_type,ons_population_0-25,stat_neighbours\n";

    fn read(
        lookup: &str,
        aliases: &str,
        former: &str,
    ) -> Result<Vec<LocalAuthority>, ReferenceError> {
        let files = ReferenceFiles {
            local_authorities: lookup,
            regions: REGIONS,
            aliases,
            former,
        };
        read_local_authorities(&files).map(|(_, las)| las)
    }

    const NO_ALIASES: &str = "la_code,gss_code,note\n";
    const NO_FORMER: &str = "la_code,gss_code,name,ons_region,successor_la_code,note\n";

    #[test]
    fn reads_current_and_defunct_rows() {
        let lookup = format!(
            "\u{feff}{HEADER}301,E09000002,E09000002,Barking,London,London Borough,85041,\"302\"\n\
             302,E09000003,E09000003,Barnet,London,,,\"301, 399\"\n\
             399,,E09000099,Gone,london,,,\n"
        );
        let las = read(&lookup, NO_ALIASES, NO_FORMER).unwrap();
        assert_eq!(las.len(), 3);
        assert_eq!(las[0].population_0_25, Some(85041));
        assert_eq!(las[1].la_type, None);
        assert_eq!(las[1].statistical_neighbours.len(), 2);
        assert!(!las[2].current);
        assert_eq!(las[2].gss_code.as_str(), "E09000099");
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let lookup = format!("{HEADER}301,E09000002,E09000002,Barking,London,,lots,\n");
        let err = read(&lookup, NO_ALIASES, NO_FORMER).unwrap_err();
        assert_eq!(
            err.to_string(),
            "local-authorities.csv, line 2, column 'ons_population_0-25': 'lots' is not a whole number"
        );

        let lookup = format!("{HEADER}301,E09000002,E09000002,Barking,Narnia,,,\n");
        let err = read(&lookup, NO_ALIASES, NO_FORMER).unwrap_err();
        assert!(
            matches!(
                err,
                ReferenceError::Field {
                    line: 2,
                    column: "region_name",
                    ..
                }
            ),
            "{err}"
        );

        let lookup = format!("{HEADER}301,E09000002,E09000002,Barking,London,,,\"302\"\n");
        let err = read(&lookup, NO_ALIASES, NO_FORMER).unwrap_err();
        assert!(
            err.to_string().contains("statistical neighbour 302"),
            "{err}"
        );

        let lookup = format!(
            "{HEADER}301,E09000002,E09000002,A,London,,,\n301,E09000003,E09000003,B,London,,,\n"
        );
        let err = read(&lookup, NO_ALIASES, NO_FORMER).unwrap_err();
        assert!(
            matches!(
                err,
                ReferenceError::Field {
                    line: 3,
                    column: "la_code",
                    ..
                }
            ),
            "{err}"
        );

        let lookup = format!("{HEADER}301,E09000002,E09000002,A,London,,,\n");
        let err = read(
            &lookup,
            "la_code,gss_code,note\n\n999,E09000009,x\n",
            NO_FORMER,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "la-code-aliases.csv, line 3, column 'la_code': 999 is not a known LA"
        );

        let err = read("la_code\n301\n", NO_ALIASES, NO_FORMER).unwrap_err();
        assert_eq!(
            err,
            ReferenceError::MissingColumn {
                file: LOCAL_AUTHORITIES_FILE,
                column: "la_code_new"
            }
        );

        let lookup = format!("{HEADER}301,E09000002\n");
        let err = read(&lookup, NO_ALIASES, NO_FORMER).unwrap_err();
        assert!(matches!(err, ReferenceError::Line { line: 2, .. }), "{err}");
    }

    #[test]
    fn lines_count_blank_lines_crlf_and_quoted_line_breaks() {
        let lookup = format!(
            "{HEADER}\r\n301,E09000002,E09000002,\"Barking\r\nand Dagenham\",London,,,\r\n\r\n302,E09000003,E09000003,Barnet,London,,x,\r\n"
        );
        let err = read(&lookup, NO_ALIASES, NO_FORMER).unwrap_err();
        assert!(
            matches!(
                err,
                ReferenceError::Field {
                    line: 6,
                    column: "ons_population_0-25",
                    ..
                }
            ),
            "{err}"
        );
        let lookup = format!("{HEADER}\n\n301,E09000002\n");
        let err = read(&lookup, NO_ALIASES, NO_FORMER).unwrap_err();
        assert!(matches!(err, ReferenceError::Line { line: 4, .. }), "{err}");
    }

    #[test]
    fn a_shared_area_code_is_an_error() {
        let lookup = format!(
            "{HEADER}301,E09000002,E09000002,A,London,,,\n302,E09000003,E09000003,B,London,,,\n"
        );
        let err = read(
            &lookup,
            "la_code,gss_code,note\n302,E09000002,x\n",
            NO_FORMER,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "la-code-aliases.csv, line 2, column 'gss_code': area code E09000002 is already LA 301's (local-authorities.csv, line 2)"
        );
    }
}
