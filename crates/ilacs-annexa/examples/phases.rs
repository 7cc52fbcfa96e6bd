//! Times each phase of checking and cleaning a workbook: `phases FILE.xlsx`.

use calamine::Reader;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: phases FILE.xlsx");
    let bytes = std::fs::read(&path).expect("readable");
    let t = Instant::now();
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(&bytes[..])).unwrap();
    println!("calamine open (shared strings): {:?}", t.elapsed());
    let t = Instant::now();
    let mut cells = 0;
    for name in wb.sheet_names() {
        let r = wb.worksheet_range(&name).unwrap();
        cells += r.get_size().0 * r.get_size().1;
    }
    println!("calamine ranges ({cells} cells): {:?}", t.elapsed());
    let t = Instant::now();
    let mut streamed = 0;
    for name in wb.sheet_names() {
        let mut cells = wb.worksheet_cells_reader(&name).unwrap();
        while let Ok(Some(_)) = cells.next_cell() {
            streamed += 1;
        }
    }
    println!(
        "calamine cells streamed ({streamed} cells): {:?}",
        t.elapsed()
    );
    let t = Instant::now();
    let annex = ilacs_annexa::read_workbook(&bytes).unwrap();
    println!("read_workbook (all of it): {:?}", t.elapsed());
    let t = Instant::now();
    let out = ilacs_annexa::write_clean_xlsx(&annex).unwrap();
    println!("write_clean_xlsx ({} bytes): {:?}", out.len(), t.elapsed());
}
