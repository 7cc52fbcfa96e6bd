//! The document writers: DOCX, tagged PDF and HTML, each read back with a real parser.

mod aem_letter;
mod docx;
mod fuzz;
mod html;
mod pdf;
mod sample;
