//! Structure normalisations of the table of kinds (`Shape` in `src/ir/kinds.rs`), as every
//! front end applies them: a rule resource's single CIDR becomes a one-item list (null
//! stays unset), a security group's inline CloudFormation rules are named as rule
//! resources, a parameter map becomes `{name, value}` items, and a field of an object is
//! lifted to its canonical attribute.

mod common;

use rampart::ir::{Data, Project, Resource, Value};

fn cloudformation(text: &str) -> Project {
    let template = rampart::parse::cloudformation::parse_file(0, "template.yaml", text, false)
        .expect("template parses")
        .expect("is a template");
    let budget = rampart::parse::budget::Budget::default();
    let mut project = rampart::parse::cloudformation::lower(
        "template".into(),
        "template.yaml",
        &template,
        &budget,
    )
    .expect("template lowers")
    .project;
    rampart::graph::link(&mut project);
    project
}

fn plan(text: &str) -> Project {
    let root = rampart::parse::tfplan::parse_file(0, "plan.json", text)
        .expect("plan parses")
        .expect("is a plan");
    let mut project = rampart::parse::tfplan::lower("plan".into(), 0, &root);
    rampart::graph::link(&mut project);
    project
}

fn resource<'p>(project: &'p Project, address: &str) -> &'p Resource {
    project
        .resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("no resource {address}"))
}

/// A value as text: a string without quotes, anything else as displayed.
fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.display(), str::to_string)
}

fn items(value: &Value) -> Vec<Value> {
    match &value.data {
        Data::List(items) => items.to_vec(),
        other => panic!("not a list: {other:?}"),
    }
}

/// The `source` and `cidr` of each normalised rule, as displayed.
fn sources(database: &Resource, fact: &str) -> Vec<(String, String)> {
    items(database.attr(fact).expect("rules derived"))
        .iter()
        .map(|rule| {
            let fields = rule.as_object().expect("a rule object");
            (
                text(&fields["source"]),
                fields.get("cidr").map_or("-".into(), text),
            )
        })
        .collect()
}

const RULE_PLAN: &str = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_security_group.db", "mode": "managed", "type": "aws_security_group",
     "name": "db", "values": {"name": "db"}},
    {"address": "aws_vpc_security_group_ingress_rule.open", "mode": "managed",
     "type": "aws_vpc_security_group_ingress_rule", "name": "open",
     "values": {"security_group_id": "sg-1", "ip_protocol": "tcp", "from_port": 5432,
                "to_port": 5432, "cidr_ipv4": "0.0.0.0/0", "cidr_ipv6": null,
                "prefix_list_id": null, "referenced_security_group_id": null}},
    {"address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance",
     "name": "db", "values": {"engine": "postgres", "vpc_security_group_ids": ["sg-1"]}}
  ]}},
  "configuration": {"root_module": {"resources": [
    {"address": "aws_vpc_security_group_ingress_rule.open", "mode": "managed",
     "type": "aws_vpc_security_group_ingress_rule", "name": "open",
     "expressions": {"security_group_id": {"references": ["aws_security_group.db.id",
                                                         "aws_security_group.db"]}}},
    {"address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance",
     "name": "db",
     "expressions": {"vpc_security_group_ids": {"references": ["aws_security_group.db.id",
                                                              "aws_security_group.db"]}}}
  ]}}
}"#;

/// A plan states every attribute of a rule resource, the unset ones as null: a null CIDR
/// is no source, not a rule from a CIDR that is null.
#[test]
fn a_plans_null_cidr_is_no_rule_source() {
    let project = plan(RULE_PLAN);
    let rule = resource(&project, "aws_vpc_security_group_ingress_rule.open");
    assert_eq!(
        text(&items(rule.attr("cidr_blocks").unwrap())[0]),
        "0.0.0.0/0"
    );
    assert!(
        rule.attr("ipv6_cidr_blocks")
            .is_none_or(|v| matches!(v.data, Data::Null))
    );
    assert_eq!(
        sources(resource(&project, "aws_db_instance.db"), "ingress_rules"),
        [("cidr".to_string(), "0.0.0.0/0".to_string())]
    );
}

#[test]
fn a_terraform_rule_resources_cidr_is_a_one_item_list_and_null_stays_unset() {
    let project = common::linked(
        r#"resource "aws_security_group" "db" {}
resource "aws_vpc_security_group_ingress_rule" "open" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "10.0.0.0/8"
  cidr_ipv6         = null
}
resource "aws_db_instance" "db" {
  engine                 = "postgres"
  vpc_security_group_ids = [aws_security_group.db.id]
}
"#,
    );
    let rule = resource(&project, "aws_vpc_security_group_ingress_rule.open");
    assert_eq!(
        text(&items(rule.attr("cidr_blocks").unwrap())[0]),
        "10.0.0.0/8"
    );
    assert!(
        rule.attr("ipv6_cidr_blocks")
            .is_none_or(|v| matches!(v.data, Data::Null))
    );
    assert_eq!(
        sources(resource(&project, "aws_db_instance.db"), "ingress_rules"),
        [("cidr".to_string(), "10.0.0.0/8".to_string())]
    );
}

const TEMPLATE: &str = r#"Parameters:
  Allowed:
    Type: String
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: database
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIp: 0.0.0.0/0
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          SourcePrefixListId: pl-1
  Rule:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref Group
      IpProtocol: tcp
      FromPort: 5432
      ToPort: 5432
      CidrIp: !Ref Allowed
  Parameters:
    Type: AWS::RDS::DBParameterGroup
    Properties:
      Family: postgres16
      Description: tls
      Parameters:
        rds.force_ssl: 1
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBParameterGroupName: !Ref Parameters
      VPCSecurityGroups: [!Ref Group]
      ManageMasterUserPassword: true
      MasterUserSecret:
        KmsKeyId: alias/db
"#;

#[test]
fn cloudformation_inline_rules_are_named_as_rule_resources() {
    let project = cloudformation(TEMPLATE);
    let group = resource(&project, "Group");
    let inline = items(group.attr("ingress").unwrap());
    let first = inline[0].as_object().unwrap();
    assert_eq!(text(&first["protocol"]), "tcp");
    assert_eq!(text(&items(&first["cidr_blocks"])[0]), "0.0.0.0/0");
    let second = inline[1].as_object().unwrap();
    assert_eq!(text(&items(&second["prefix_list_ids"])[0]), "pl-1");
    assert!(!second.contains_key("source_prefix_list_id"));
}

/// A rule resource's CIDR that is not known is one rule from a CIDR not known: its
/// protocol and ports are still known.
#[test]
fn a_cloudformation_rule_resources_unknown_cidr_is_one_unknown_source() {
    let project = cloudformation(TEMPLATE);
    let rule = resource(&project, "Rule");
    assert_eq!(text(rule.attr("security_group_id").unwrap()), "Group");
    let cidrs = items(rule.attr("cidr_blocks").unwrap());
    assert_eq!(cidrs.len(), 1);
    assert!(matches!(cidrs[0].data, Data::Unknown(_)), "{:?}", cidrs[0]);
    let database = resource(&project, "Database");
    let rules = items(database.attr("ingress_rules").unwrap());
    assert_eq!(rules.len(), 3, "{rules:?}");
    let from_rule = rules[2].as_object().unwrap();
    assert_eq!(text(&from_rule["from_port"]), "5432");
    assert!(matches!(from_rule["cidr"].data, Data::Unknown(_)));
}

#[test]
fn cloudformation_parameters_and_secret_key_take_the_canonical_shape() {
    let project = cloudformation(TEMPLATE);
    let parameters = items(resource(&project, "Parameters").attr("parameters").unwrap());
    let first = parameters[0].as_object().unwrap();
    assert_eq!(text(&first["name"]), "rds.force_ssl");
    assert_eq!(text(&first["value"]), "1");
    let database = resource(&project, "Database");
    assert_eq!(
        text(database.attr("master_user_secret_kms_key_id").unwrap()),
        "alias/db"
    );
    let effective = database.attr("effective_parameters").unwrap();
    assert_eq!(text(&effective.as_object().unwrap()["rds.force_ssl"]), "1");
}
