//! ## What it does
//! Reports a `gongwen.toml` that cannot be used: TOML that does not parse, an
//! unknown key (often a typo such as `selcet`), a severity that is not one of
//! `error`, `warning`, `info`, `hint`, a rule code that does not exist, or a
//! path pattern that is not a valid glob. Every problem is shown at its line
//! and column.
//!
//! ## Why is this bad?
//! A configuration that is silently half-read would check reports with rules
//! the reviewer thought were off, or skip rules they thought were on. gongwen
//! stops with exit status 2 instead.
//!
//! ## Example
//! ```toml
//! selcet = ["N"]
//!
//! [severity]
//! N001 = "warn"
//! ```
//!
//! ## Use instead
//! ```toml
//! select = ["N"]
//!
//! [severity]
//! N001 = "warning"
//! ```
//! Keys: `schema`, `lang`, `select`, `ignore`, `exclude`, `[severity]`,
//! `[per-file-ignores]` and `[[allow]]` (`code`, `text`, `reason`, `files`).
//! `gongwen config --show` prints the settings in effect.
//!
//! ## Basis
//! None: a tool configuration problem, not a drafting rule.
