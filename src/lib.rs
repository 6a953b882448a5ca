//! rampart: finds database-hardening mistakes in Terraform, CloudFormation and Pulumi
//! before they are deployed.
//!
//! Pipeline: [`scan`] (discover, parse, lower, [`graph`] link) -> [`policy`] evaluate ->
//! [`report`]. Imports flow one way: parse -> ir <- graph <- policy <- report.

pub mod app;
pub mod config;
pub mod graph;
pub mod ir;
pub mod located;
pub mod parse;
pub mod policy;
pub mod report;
pub mod scan;
pub mod suppress;
