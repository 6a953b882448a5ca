use super::*;
use crate::ir::{Data, Kind, Provenance, Value};

fn lower(text: &str) -> Project {
    let parsed = parse_file(0, "main.tf", text).expect("parses");
    lower_module("m".into(), &[parsed])
}

fn text_at(text: &str, span: Span) -> &str {
    &text[span.start as usize..span.end as usize]
}

#[test]
fn lowers_kinds_canonical_names_and_spans() {
    let text = r#"resource "aws_db_instance" "db" {
  username          = "admin"
  storage_encrypted = false
}
"#;
    let project = lower(text);
    let db = &project.resources[0];
    assert_eq!(db.kind, Some(Kind::DbInstance));
    assert_eq!(db.address, "aws_db_instance.db");
    let user = db.attr("master_username").unwrap();
    assert_eq!(user.data, Data::String("admin".into()));
    assert_eq!(text_at(text, user.span), "\"admin\"");
    assert_eq!(
        text_at(text, db.span),
        "resource \"aws_db_instance\" \"db\""
    );
    // Absent attributes take the provider default, spanned at the header.
    let public = db.attr("publicly_accessible").unwrap();
    assert_eq!(public.data, Data::Bool(false));
    assert_eq!(public.provenance, Provenance::Default);
    assert_eq!(public.span, db.span);
}

#[test]
fn resolves_variable_defaults_and_local_chains_with_hops() {
    let text = r#"variable "pw" { default = "hunter2" }
locals {
  b = local.a
  a = var.pw
}
resource "aws_db_instance" "db" {
  password = local.b
}
"#;
    let project = lower(text);
    let password = project.resources[0].attr("master_password").unwrap();
    assert_eq!(password.data, Data::String("hunter2".into()));
    assert_eq!(text_at(text, password.span), "local.b");
    let Provenance::Resolved { chain } = &password.provenance else {
        panic!("not resolved: {:?}", password.provenance)
    };
    let vias: Vec<&str> = chain.iter().map(|h| h.via.as_str()).collect();
    assert_eq!(vias, ["local.b", "local.a", "var.pw"]);
    assert_eq!(text_at(text, chain[2].span), "\"hunter2\"");
}

#[test]
fn unresolvable_values_are_unknown_never_guessed() {
    let text = r#"variable "no_default" {}
locals {
  loop_a = local.loop_b
  loop_b = local.loop_a
}
resource "aws_db_instance" "db" {
  storage_encrypted   = var.no_default
  publicly_accessible = local.loop_a
  port                = data.aws_ssm_parameter.port.value
  engine              = file("engine.txt")
  identifier          = module.naming.id
}
"#;
    let project = lower(text);
    let db = &project.resources[0];
    for name in [
        "storage_encrypted",
        "publicly_accessible",
        "engine",
        "identifier",
    ] {
        assert!(
            db.attr(name).unwrap().is_unknown(),
            "{name} should be unknown"
        );
    }
    assert!(matches!(db.attr("port").unwrap().data, Data::Secret(_)));
}

#[test]
fn references_to_resources_become_links() {
    let text = r#"resource "aws_kms_key" "k" {}
resource "aws_db_instance" "db" {
  kms_key_id             = aws_kms_key.k.arn
  vpc_security_group_ids = [aws_security_group.missing.id]
}
"#;
    let project = lower(text);
    let db = &project.resources[1];
    let link = db.attr("kms_key_id").unwrap().as_link().unwrap();
    assert_eq!(link.target, "aws_kms_key.k");
    assert_eq!(link.attribute.as_deref(), Some("arn"));
    let groups = db
        .attr("vpc_security_group_ids")
        .unwrap()
        .as_list()
        .unwrap();
    assert!(
        groups[0].is_unknown(),
        "a resource not in the module is unknown"
    );
}

#[test]
fn nested_blocks_are_lists_of_objects_and_dynamic_blocks_unknown() {
    let text = r#"resource "aws_db_parameter_group" "pg" {
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name  = "log_connections"
    value = "1"
  }
}
resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = var.rules
    content {}
  }
}
"#;
    let project = lower(text);
    let parameters = project.resources[0]
        .attr("parameters")
        .unwrap()
        .as_list()
        .unwrap();
    assert_eq!(parameters.len(), 2);
    let first = parameters[0].as_object().unwrap();
    assert_eq!(first["name"].as_str(), Some("rds.force_ssl"));
    let ingress = project.resources[1]
        .attr("ingress")
        .unwrap()
        .as_list()
        .unwrap();
    assert!(ingress[0].is_unknown());
}

#[test]
fn templates_and_conditionals_with_known_parts_resolve() {
    let text = r#"variable "env" { default = "prod" }
resource "aws_db_instance" "db" {
  identifier        = "db-${var.env}"
  storage_encrypted = var.env == "prod" ? true : false
  multi_az          = true ? false : true
}
"#;
    let project = lower(text);
    let db = &project.resources[0];
    assert_eq!(db.attr("identifier").unwrap().as_str(), Some("db-prod"));
    assert_eq!(db.attr("storage_encrypted").unwrap().data, Data::Bool(true));
    assert_eq!(db.attr("multi_az").unwrap().data, Data::Bool(false));
}

#[test]
fn syntax_errors_carry_their_location() {
    let text = "resource \"a\" \"b\" {\n  x = = 1\n}\n";
    let err = parse_file(3, "bad.tf", text).err().expect("syntax error");
    let span = err.span.expect("located");
    assert_eq!(span.file, 3);
    assert_eq!(&text[..span.start as usize].lines().count(), &2);
}

fn attr_of(text: &str, name: &str) -> Value {
    lower(text).resources[0].attr(name).unwrap().clone()
}

#[test]
fn functions_operators_and_for_expressions_evaluate_known_values() {
    let text = r#"variable "days" { default = "7" }
variable "envs" { default = ["prod", "dev", "prod"] }
variable "unknown" {}
locals {
  settings = merge({ retention = 1 }, { retention = tonumber(var.days) * 5 })
  names    = [for e in toset(var.envs) : upper(e) if e != "dev"]
  by_name  = { for i, e in var.envs : e => i }
}
resource "aws_db_instance" "db" {
  backup_retention_period = lookup(local.settings, "retention", 0)
  identifier              = format("%s-%d", join("-", local.names), length(var.envs))
  multi_az                = contains(keys(local.by_name), "dev") && !false
  port                    = max(5432, 1) - 1 + 2 % 2
  engine                  = coalesce("", "postgres")
  engine_version          = try(var.unknown, "15")
  storage_encrypted       = can(local.names[0])
  kms_key_id              = jsonencode({ a = [1, true, "x"] })
  deletion_protection     = var.unknown && false
  copy_tags_to_snapshot   = false && var.unknown
}
"#;
    let get = |name: &str| attr_of(text, name);
    assert_eq!(get("backup_retention_period").data, Data::Number(35.0));
    assert_eq!(get("identifier").as_str(), Some("PROD-3"));
    assert_eq!(get("multi_az").data, Data::Bool(true));
    assert_eq!(get("port").data, Data::Number(5431.0));
    assert_eq!(get("engine").as_str(), Some("postgres"));
    assert!(
        get("engine_version").is_unknown(),
        "try() of an unknown stays unknown"
    );
    assert_eq!(get("storage_encrypted").data, Data::Bool(true));
    assert_eq!(get("kms_key_id").as_str(), Some(r#"{"a":[1,true,"x"]}"#));
    assert_eq!(
        get("deletion_protection").data,
        Data::Bool(false),
        "unknown && false is false, as Terraform decides it"
    );
    assert_eq!(get("copy_tags_to_snapshot").data, Data::Bool(false));
    // A value computed from a variable default is not a literal: it carries its hops.
    let splat = r#"locals {
  rules = [{ port = 5432 }, { port = 3306 }]
}
resource "aws_db_instance" "db" {
  enabled_cloudwatch_logs_exports = local.rules[*].port
}
"#;
    let ports = attr_of(splat, "enabled_cloudwatch_logs_exports");
    let numbers: Vec<f64> = ports
        .as_list()
        .unwrap()
        .iter()
        .filter_map(Value::as_number)
        .collect();
    assert_eq!(numbers, [5432.0, 3306.0]);
    assert!(matches!(
        get("backup_retention_period").provenance,
        Provenance::Resolved { .. }
    ));
}

/// Found by the fuzzer: a huge `count` must not allocate, it is an unknown count.
#[test]
fn a_huge_count_is_an_unknown_count() {
    let text = r#"resource "aws_db_instance" "counted" {
  count             = "00000000000000000000000000000000000000003714969292622062472.3"
  storage_encrypted = count.index < 101
}
resource "aws_db_instance" "many" {
  count = 1e57
}
"#;
    let project = lower(text);
    let addresses: Vec<&str> = project
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        ["aws_db_instance.counted[*]", "aws_db_instance.many[*]"]
    );
}
