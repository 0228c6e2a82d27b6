//! Renderers: diagnostics and documents for people and for machines.

pub mod human;
pub mod json;
