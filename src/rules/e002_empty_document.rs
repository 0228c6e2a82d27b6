//! ## What it does
//! Reports a file that is empty or holds only white space and blank lines.
//!
//! ## Why is this bad?
//! There is nothing to check; most often the wrong file was given, or an
//! export from Word failed silently.
//!
//! ## Example
//! A zero-byte `report.txt`.
//!
//! ## Use instead
//! Check the path, or export the report again.
//!
//! ## Basis
//! None: an input problem, not a drafting rule.
