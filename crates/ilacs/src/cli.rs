//! The command line. Contracts scripts rely on: `serve` and `demo` take `--listen
//! ADDR:PORT` and `--database URL` (defaults 127.0.0.1:8080 and sqlite://ilacs.db).

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "ilacs",
    version,
    about = "Inspection of local authority children's services, end to end"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// sqlite://PATH (created if missing) or postgres://USER@HOST/DB
    #[arg(long, env = "ILACS_DATABASE_URL", default_value = "sqlite://ilacs.db")]
    pub database: String,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "ILACS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Mark cookies Secure: set this whenever users reach the service over HTTPS.
    #[arg(long, env = "ILACS_SECURE_COOKIES")]
    pub secure_cookies: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web service.
    Serve {
        #[command(flatten)]
        serve: ServeArgs,
        /// Fill the database with the reference data and demo users first (as `demo`).
        #[arg(long)]
        demo: bool,
    },
    /// Load the real reference data and demo users into the database, then serve.
    Demo {
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Create or update the database schema, then exit.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Load data into the database.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Manage user accounts.
    Users {
        #[command(subcommand)]
        what: UsersCommand,
    },
    /// Write a record out as a document.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Annex A, the child-level lists: check, clean and degrade a workbook (xlsx, xls or
    /// ods) or one CSV file per list, and compute its indicators; generate synthetic
    /// returns; time them. Exit status 2 when the files cannot be read, 1 for any other
    /// error.
    #[command(name = "annex-a")]
    AnnexA {
        #[command(subcommand)]
        what: AnnexACommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum AnnexACommand {
    /// Report every list found and every cell cleaning would change or reject. Exit
    /// status 0 when the files were read (even with issues), 2 when they could not be.
    Check {
        /// One workbook, or one CSV file per list.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// json: one object, {"lists": [{"list", "rows"}], "issues": [{"list", "row",
        /// "column", "value", "reason", "action"}]}; text (the default): a summary.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
    /// The indicators inspectors compute from Annex A, for a reference date: each with
    /// its numerator, denominator and the child rows behind them. Exit status 0 when
    /// the files were read (an indicator a list or column is missing for says so), 2
    /// when they could not be.
    Indicators {
        /// One workbook, or one CSV file per list.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The reference date R, the last day of the return, as YYYY-MM-DD. Indicators
        /// over a period take the 6 months to R.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::commands::annex_a::parse_as_at)]
        as_at: chrono::NaiveDate,
        /// json: the report, every indicator with its figures, breakdown and drill-down
        /// to child rows; text (the default): one line per indicator.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// The LA's own standard in place of a default threshold, as
        /// INDICATOR.THRESHOLD=VALUE (e.g. cpp_visits.working_days=15); repeatable.
        #[arg(long = "threshold", value_name = "INDICATOR.THRESHOLD=VALUE")]
        thresholds: Vec<String>,
    },
    /// Write the clean lists as one workbook in the canonical layout: a sheet per list,
    /// the published headers, canonical codes, dates as dates. Written whole or not at all.
    Clean {
        /// One workbook, or one CSV file per list.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the clean lists degraded for sharing: child, family and adopter IDs and
    /// the names of workers and teams replaced by pseudonyms keyed with the LA's secret
    /// (the same key gives the same pseudonyms every time), dates of birth to the 1st of
    /// their month, placement postcodes to their sector. Written whole or not at all.
    Degrade {
        /// One workbook, or one CSV file per list.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The LA's key: a file of at least 16 bytes, kept apart from the data. Make one
        /// with `head -c 32 /dev/urandom > annex-a.key` and use it for every upload.
        #[arg(long)]
        key_file: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a synthetic Annex A return for an LA: its volumes scaled from DfE's
    /// published figures (referrals, children in need, plans, children in care, care
    /// leavers), its rates near the LA's published ones, the same children running
    /// through the lists, with a share of real-world dirt. No real child is in it.
    Generate {
        /// The LA: a three-digit or area code.
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        la: Option<String>,
        /// Every current LA, each in its own directory of --out, as CSV.
        #[arg(long)]
        all: bool,
        /// The same LA, seed and options always give the same return (alone or in --all).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The share of cells and headers made dirty, 0 to 1: variant headers, other
        /// spellings of codes, #N/A, dates in other forms or impossible, stray spaces,
        /// blank required cells.
        #[arg(long, default_value_t = 0.02)]
        dirt: f64,
        /// The reference date R, YYYY-MM-DD: the return covers the six months to it.
        #[arg(long, default_value = "2025-03-31", value_parser = parse_date)]
        as_at: chrono::NaiveDate,
        /// xlsx (one workbook, the default) or csv (a directory of one CSV per list).
        /// --all writes csv.
        #[arg(long, value_parser = ["xlsx", "csv"])]
        format: Option<String>,
        /// Multiply every volume (and the workforce) by this, for benchmarks; rates
        /// stay the LA's.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Threads for --all (default: one per core).
        #[arg(long)]
        jobs: Option<usize>,
        /// The workbook (xlsx) or directory (csv, --all) to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Time reading and cleaning: rows per second, wall and CPU time and peak memory,
    /// each phase measured in its own process. Without FILE, a 110,000-row workbook is
    /// generated first (not timed). With --national DIR (from `generate --all`), every
    /// LA's CSVs are read, LA by LA, on --threads workers.
    Bench {
        /// A workbook to time.
        file: Option<PathBuf>,
        /// Runs per phase.
        #[arg(long, default_value_t = 5)]
        runs: u32,
        /// A directory written by `ilacs annex-a generate --all`.
        #[arg(long)]
        national: Option<PathBuf>,
        /// Worker threads for --national.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// The returns' reference date, for the stages after reading.
        #[arg(long, default_value = "2025-03-31", value_parser = parse_date)]
        as_at: chrono::NaiveDate,
        /// Run one phase and print its measurements as JSON (the bench runs itself so).
        #[arg(long, hide = true)]
        phase: Option<String>,
    },
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date: expected YYYY-MM-DD, such as 2025-03-31"))
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// An LA's self-evaluation, with its evidence as an appendix: Word (docx), tagged
    /// PDF or HTML. The file is written whole or not at all.
    SelfEvaluation {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The LA: a three-digit or area code.
        #[arg(long)]
        la: String,
        /// The financial year, as 2026 or 2026-27; the latest year with a
        /// self-evaluation if not given.
        #[arg(long)]
        year: Option<String>,
        /// The version; the newest if not given.
        #[arg(long)]
        version: Option<u32>,
        /// docx, pdf or html
        #[arg(long)]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// The issued letter of an LA's annual engagement meeting, as a tagged PDF. Never
    /// published: keep the file to the LA and Ofsted. Written whole or not at all.
    AemLetter {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The LA: a three-digit or area code.
        #[arg(long)]
        la: String,
        /// The calendar year of the meeting; the latest issued letter if not given.
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        out: PathBuf,
    },
    /// An Ofsted region's plan of annual engagement meetings: every LA with its last
    /// and next meeting, whether one is due or overdue, and a proposed date. Written as
    /// XLSX or CSV by the --out file's extension, whole or not at all.
    AemPlan {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The Ofsted region, e.g. south-west.
        #[arg(long)]
        region: String,
        /// FILE.xlsx or FILE.csv
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Local authorities, regions and Ofsted's published inspection outcomes. Without
    /// file options, the copies shipped in the program are used. Importing the same
    /// files again changes nothing; a file with an error changes nothing at all.
    Reference {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Ofsted's "LA inspection outcomes" workbook (.ods or .xlsx).
        #[arg(long)]
        outcomes: Option<PathBuf>,
        /// The LA lookup CSV (Data to Insight's local-authorities.csv).
        #[arg(long)]
        local_authorities: Option<PathBuf>,
    },
    /// DfE's published statistics (children in need, child protection, children looked
    /// after, care leavers, the social work workforce): the tidy CSV files as DfE
    /// publishes them, in DIR, or the copies shipped in the program. Importing the
    /// same files again changes nothing; a problem in any file changes nothing at all.
    Published {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The folder holding the files named in data/indicators/published.toml.
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// Add a user. The password is read from standard input, or from ILACS_PASSWORD.
    Add {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        username: String,
        /// The user's full name.
        #[arg(long)]
        name: String,
        /// la_admin, la_quality_performance, la_auditor, la_viewer, ofsted_national,
        /// ofsted_regional, alliance_peer or system_admin
        #[arg(long)]
        role: String,
        /// The LA, for LA roles: a three-digit or area code.
        #[arg(long)]
        la: Option<String>,
        /// The Ofsted region, for ofsted_regional (e.g. london, south-west).
        #[arg(long)]
        region: Option<String>,
    },
    /// List users, optionally of one LA.
    List {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        la: Option<String>,
    },
    /// Issue an API token that signs in to the JSON API as this user (for a case
    /// management system loading audits). The token is printed once.
    Token {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        username: String,
        /// What the token is for, e.g. "Mosaic audit import".
        #[arg(long)]
        name: String,
        /// Days until it expires.
        #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
    },
    /// Change a user's role (and so their LA or region). Ends their sessions.
    SetRole {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        la: Option<String>,
        #[arg(long)]
        region: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
