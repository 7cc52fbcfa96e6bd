//! Writes a synthetic Annex A workbook, for measuring: `cargo run --release -p
//! ilacs-annexa --example generate -- ROWS_PER_LIST SEED DIRT_SHARE OUT.xlsx`.
//! (`ilacs annex-a generate --la CODE` writes an LA's linked return, scaled from
//! published figures.)

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [rows, seed, dirt, out] = &args[..] else {
        eprintln!("usage: generate ROWS_PER_LIST SEED DIRT_SHARE OUT.xlsx");
        std::process::exit(2);
    };
    let (Ok(rows), Ok(seed), Ok(dirt)) = (rows.parse(), seed.parse(), dirt.parse()) else {
        eprintln!("ROWS_PER_LIST and SEED are whole numbers, DIRT_SHARE a number from 0 to 1");
        std::process::exit(2);
    };
    let generated = ilacs_annexa::generate(rows, seed, dirt);
    if let Err(e) = std::fs::write(out, &generated.bytes) {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(1);
    }
    println!(
        "Wrote {out}: {} bytes, {} rows per list, {} cells or headers made dirty.",
        generated.bytes.len(),
        rows,
        generated.injected.len()
    );
}
