//! ## What it does
//! Reports a file that cannot be read at all: it does not exist, permission is
//! denied, or it is a directory without reports in it.
//!
//! ## Why is this bad?
//! A check that silently skips a file would report success for a report it
//! never saw. gongwen stops with exit status 2 instead.
//!
//! ## Example
//! `gongwen check reprot.txt` (a typo in the file name).
//!
//! ## Use instead
//! Give an existing, readable `.txt`, `.md` or `.docx` file or a directory.
//!
//! ## Basis
//! None: an input problem, not a drafting rule.
