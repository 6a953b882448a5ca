//! rampart: finds database-hardening mistakes in Terraform, CloudFormation and Pulumi
//! before they are deployed.
//!
//! Pipeline: [`scan`] (discover, parse, lower, [`graph`] link) -> [`policy`] evaluate ->
//! [`report`]. Imports flow one way: parse -> ir <- graph <- policy <- report, and every
//! stage speaks [`diagnostic`] types. `docs/ARCHITECTURE.md` describes who owns what.
//!
//! Entry points: [`app::run_scan`] (and its neighbours in [`app`]) is the command line; [`scan::scan`] reads a tree into linked
//! [`ir::Project`]s; [`app::load_policies`] loads the built-in and user policies;
//! [`policy::PolicySet::evaluate_within`] finds what they flag; each `report::<format>`
//! renders a [`report::Report`]. Front ends can be driven one file at a time
//! (`parse::terraform::parse_file` + `lower_module`, `parse::cloudformation`,
//! `parse::pulumi`, `parse::tfplan`), as below.
//!
//! Lowering a Terraform snippet into the IR and linking it:
//!
//! ```
//! use rampart::ir::{Data, Kind};
//! use rampart::parse::terraform::{lower_module, parse_file};
//!
//! let text = r#"
//! resource "aws_db_instance" "db" {
//!   engine            = "postgres"
//!   engine_version    = "14.10"
//!   storage_encrypted = false
//! }
//! "#;
//! let parsed = parse_file(0, "main.tf", text).unwrap();
//! let mut project = lower_module("example".into(), &[parsed]);
//! rampart::graph::link(&mut project);
//! let db = &project.resources[0];
//! assert_eq!(db.kind, Some(Kind::DbInstance));
//! assert_eq!(db.attr("storage_encrypted").unwrap().data, Data::Bool(false));
//! // RDS PostgreSQL before 15 does not force TLS by default.
//! let params = db.attr("effective_parameters").unwrap().as_object().unwrap();
//! assert_eq!(params["rds.force_ssl"].as_str(), Some("0"));
//! ```
#![cfg_attr(not(test), forbid(unsafe_code))]

pub mod app;
pub mod config;
pub mod diagnostic;
pub(crate) mod discover;
pub mod examples;
pub mod frontend;
pub(crate) mod fsread;
pub mod graph;
pub mod ir;
pub(crate) mod located;
pub(crate) mod merge;
pub mod panic_context;
pub mod parse;
pub mod policy;
pub mod report;
pub mod scan;
pub mod signatures;
pub(crate) mod suppress;
