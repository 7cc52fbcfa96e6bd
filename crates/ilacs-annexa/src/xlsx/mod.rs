//! xlsx read and written without going through a general spreadsheet library, for
//! speed: a 110,000-row workbook is checked and cleaned in well under a second.
//!
//! The reader is a strict one: it reads the workbooks spreadsheet programs write, gives
//! exactly the cells calamine would (the tests compare the two), and hands anything
//! else (a construct it does not take apart, or damage calamine words itself) back to
//! calamine. Only its size limits are errors of its own.

mod compat;
pub(crate) mod reader;
pub(crate) mod sheet;
pub(crate) mod writer;

/// The most XML one part of a workbook (a sheet, its shared strings) may unpack to.
/// A 110,000-row Annex A workbook is 57 MB of XML, its largest sheet 6 MB, and a sheet
/// at Excel's own limit of 1,048,576 rows by a few dozen columns stays under this;
/// anything more is damage or a zip bomb (deflate packs up to 1,032 to 1), and is
/// refused before it fills memory.
pub(crate) const MAX_PART_BYTES: u64 = 1 << 30;

/// The most XML all of a workbook's parts together may unpack to, for the same reason:
/// it bounds the time spent inflating a hostile file as well as the memory.
pub(crate) const MAX_WORKBOOK_BYTES: u64 = 4 << 30;

/// Why the fast reader did not read a workbook.
#[derive(Debug)]
pub(crate) enum Fallback {
    /// Left to calamine: something this reader does not take apart, or damage that
    /// calamine then reports in its own words. The reason is for tests and debugging.
    Calamine(&'static str),
    /// A part unpacks to more than its limit: never handed on.
    TooLarge { part: String, limit: u64 },
    /// Too many of something (sheets): never handed on. Says what.
    TooMany(String),
}

impl Fallback {
    /// `part` went past its limit, which was [`MAX_PART_BYTES`] or, if less, what the
    /// workbook's earlier parts had left of [`MAX_WORKBOOK_BYTES`].
    pub(crate) fn too_large(part: &str, limit: u64) -> Fallback {
        if limit < MAX_PART_BYTES {
            Fallback::TooLarge {
                part: "its parts together".to_string(),
                limit: MAX_WORKBOOK_BYTES,
            }
        } else {
            Fallback::TooLarge {
                part: part.to_string(),
                limit: MAX_PART_BYTES,
            }
        }
    }
}

/// A reader of at most `left` bytes that fails, rather than stops, past its limit.
pub(crate) struct Capped<R> {
    inner: R,
    left: u64,
    pub(crate) exceeded: bool,
}

impl<R> Capped<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Capped {
            inner,
            left: limit,
            exceeded: false,
        }
    }

    pub(crate) fn left(&self) -> u64 {
        self.left
    }
}

impl<R: std::io::Read> std::io::Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => {
                    self.exceeded = true;
                    Err(std::io::Error::other("the part is larger than the limit"))
                }
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}
