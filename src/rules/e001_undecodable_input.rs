//! ## What it does
//! Reports input that cannot be decoded as text: a binary file (it holds NUL
//! bytes), or bytes that are not valid in any supported encoding.
//!
//! ## Why is this bad?
//! Checking mojibake would report nonsense. gongwen stops with exit status 2
//! and names the byte and line where decoding failed, so the drafter can save
//! the report again as text.
//!
//! ## Example
//! A `.doc` (old Word binary) file renamed to `.txt`.
//!
//! ## Use instead
//! Save the report as `.docx` or as UTF-8 text (另存为 → 纯文本 → UTF-8).
//!
//! ## Basis
//! None: an input problem, not a drafting rule.
