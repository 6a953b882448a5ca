//! rampart: finds database-hardening mistakes in Terraform, CloudFormation and Pulumi
//! before they are deployed.
//!
//! Pipeline: [`scan`] (discover, parse, lower, [`graph`] link) -> [`policy`] evaluate ->
//! [`report`]. Imports flow one way: parse -> ir <- graph <- policy <- report.
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
pub mod examples;
pub mod fsread;
pub mod graph;
pub mod ir;
pub mod located;
pub mod parse;
pub mod policy;
pub mod report;
pub mod scan;
pub mod signatures;
pub mod suppress;
