//! ## What it does
//! Reports a schema file (`--schema FILE`) that cannot be used: malformed
//! YAML, an unknown key, a value of the wrong type, or an unknown built-in id.
//! The message gives the file, line and column.
//!
//! ## Why is this bad?
//! A schema with a typo'd key would silently check less than its author
//! meant. gongwen refuses it and exits with status 2.
//!
//! ## Example
//! ```yaml
//! id: my-report
//! nmae: 我的报告   # typo: unknown key
//! ```
//!
//! ## Use instead
//! ```yaml
//! id: my-report
//! name: 我的报告
//! ```
//!
//! ## Basis
//! None: a configuration problem, not a drafting rule.
