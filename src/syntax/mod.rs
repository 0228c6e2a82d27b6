//! Text to AST: the pest grammar recognises each line's shape
//! ([`parser`]), and [`lower`] turns the lines into a [`Document`](crate::ast::Document).
//! Parsing never fails.

pub mod lower;
pub mod parser;

pub use lower::parse;
