//! A grammar-aware generator of Terraform, CloudFormation and Pulumi YAML projects, driven
//! by `arbitrary::Unstructured`: the test `grammar_generated_inputs` feeds it seeded
//! pseudo-random bytes, and the cargo-fuzz target `grammar` feeds it libFuzzer's. It builds
//! inputs from each format's grammar with what breaks evaluators: references in any
//! direction (so cycles), values reused several times (so doubling), deep nesting, long
//! chains, conditionals and loops over generated collections, short and long intrinsic
//! forms, and module calls between generated directories.
#![allow(dead_code)]

use arbitrary::{Result, Unstructured};

/// One generated project: `(relative path, text)` of each file.
pub struct Project {
    pub files: Vec<(String, String)>,
}

/// Which front end a project is for.
#[derive(Clone, Copy, Debug)]
pub enum Front {
    Terraform,
    CloudFormation,
    PulumiYaml,
}

pub fn project(u: &mut Unstructured, front: Front) -> Result<Project> {
    Ok(Project {
        files: match front {
            Front::Terraform => terraform(u)?,
            Front::CloudFormation => vec![("template.yaml".into(), cloudformation(u)?)],
            Front::PulumiYaml => vec![("Pulumi.yaml".into(), pulumi_yaml(u)?)],
        },
    })
}

fn pick<'a>(u: &mut Unstructured, items: &[&'a str]) -> Result<&'a str> {
    Ok(items[u.choose_index(items.len())?])
}

fn small(u: &mut Unstructured, max: usize) -> Result<usize> {
    u.int_in_range(0..=max)
}

/// Up to `max` distinct names from `items` (a key written twice is another test's case).
fn distinct<'a>(u: &mut Unstructured, items: &[&'a str], max: usize) -> Result<Vec<&'a str>> {
    let mut chosen: Vec<&str> = Vec::new();
    for _ in 0..small(u, max)? {
        let item = pick(u, items)?;
        if !chosen.contains(&item) {
            chosen.push(item);
        }
    }
    Ok(chosen)
}

// ---------------------------------------------------------------- Terraform

const TF_ATTRIBUTES: &[&str] = &[
    "storage_encrypted",
    "publicly_accessible",
    "engine",
    "engine_version",
    "identifier",
    "username",
    "password",
    "backup_retention_period",
    "kms_key_id",
    "iam_database_authentication_enabled",
    "deletion_protection",
    "parameter_group_name",
    "vpc_security_group_ids",
    "tags",
];

const TF_FUNCTIONS: &[&str] = &[
    "join", "concat", "merge", "lookup", "length", "coalesce", "format", "flatten", "tolist",
    "toset", "keys", "values", "upper", "replace", "try", "can", "element", "distinct",
];

struct TfNames {
    locals: usize,
    variables: usize,
}

fn tf_literal(u: &mut Unstructured) -> Result<String> {
    Ok(match small(u, 6)? {
        0 => "true".into(),
        1 => "false".into(),
        2 => "null".into(),
        3 => pick(
            u,
            &["-1", "0", "1", "2", "7", "35", "3306", "5432", "40000"],
        )?
        .to_string(),
        4 => format!(
            "\"{}\"",
            pick(u, &["postgres", "mysql", "0.0.0.0/0", "", "x", "15.4"])?
        ),
        5 => "aws_kms_key.k.arn".into(),
        _ => "data.aws_ssm_parameter.p.value".into(),
    })
}

fn tf_reference(u: &mut Unstructured, names: &TfNames) -> Result<String> {
    Ok(if u.ratio(1, 2)? && names.locals > 0 {
        format!("local.l{}", small(u, names.locals - 1)?)
    } else if names.variables > 0 {
        format!("var.v{}", small(u, names.variables - 1)?)
    } else {
        "local.l0".into()
    })
}

fn tf_expression(u: &mut Unstructured, names: &TfNames, depth: usize) -> Result<String> {
    if depth == 0 || u.ratio(1, 3)? {
        return if u.ratio(1, 2)? {
            tf_literal(u)
        } else {
            tf_reference(u, names)
        };
    }
    let d = depth - 1;
    Ok(match small(u, 9)? {
        0 => {
            // Reuse: the same reference several times doubles what it builds.
            let reference = tf_reference(u, names)?;
            let times = 1 + small(u, 3)?;
            format!("\"{}\"", format!("${{{reference}}}").repeat(times))
        }
        1 => {
            let items: Vec<String> = (0..small(u, 3)?)
                .map(|_| tf_expression(u, names, d))
                .collect::<Result<_>>()?;
            format!("[{}]", items.join(", "))
        }
        2 => {
            let mut fields = Vec::new();
            for i in 0..small(u, 3)? {
                fields.push(format!("k{i} = {}", tf_expression(u, names, d)?));
            }
            format!("{{ {} }}", fields.join(", "))
        }
        3 => format!(
            "{} ? {} : {}",
            tf_expression(u, names, d)?,
            tf_expression(u, names, d)?,
            tf_expression(u, names, d)?
        ),
        4 => {
            let function = pick(u, TF_FUNCTIONS)?;
            let args: Vec<String> = (0..1 + small(u, 2)?)
                .map(|_| tf_expression(u, names, d))
                .collect::<Result<_>>()?;
            format!("{function}({})", args.join(", "))
        }
        5 => format!(
            "[for x in {} : {}]",
            tf_expression(u, names, d)?,
            if u.ratio(1, 2)? {
                "x".to_string()
            } else {
                tf_expression(u, names, d)?
            }
        ),
        6 => format!("{}[*].id", tf_expression(u, names, d)?),
        7 => format!(
            "{} {} {}",
            tf_expression(u, names, d)?,
            pick(u, &["==", "!=", "&&", "||", "+", "*", "<"])?,
            tf_expression(u, names, d)?
        ),
        8 => format!("!{}", tf_expression(u, names, d)?),
        _ => format!("({})", tf_expression(u, names, d)?),
    })
}

fn tf_module(u: &mut Unstructured, modules: usize, own: usize) -> Result<String> {
    let names = TfNames {
        locals: 1 + small(u, 12)?,
        variables: small(u, 4)?,
    };
    let mut text = String::new();
    for v in 0..names.variables {
        text.push_str(&format!("variable \"v{v}\" {{\n"));
        if u.ratio(2, 3)? {
            text.push_str(&format!("  default = {}\n", tf_expression(u, &names, 3)?));
        }
        text.push_str("}\n");
    }
    text.push_str("locals {\n");
    for l in 0..names.locals {
        text.push_str(&format!("  l{l} = {}\n", tf_expression(u, &names, 4)?));
    }
    text.push_str("}\n");
    text.push_str("resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n");
    for r in 0..1 + small(u, 3)? {
        text.push_str(&format!("resource \"aws_db_instance\" \"db{r}\" {{\n"));
        match small(u, 3)? {
            // Mostly small counts: thousands of instances are linear work that only slows
            // the fuzzer (the budget tests cover fan-out).
            0 if u.ratio(3, 4)? => text.push_str(&format!("  count = {}\n", small(u, 3)?)),
            0 => text.push_str(&format!("  count = {}\n", tf_expression(u, &names, 2)?)),
            1 => text.push_str(&format!("  for_each = {}\n", tf_expression(u, &names, 2)?)),
            _ => {}
        }
        for attribute in distinct(u, TF_ATTRIBUTES, 5)? {
            text.push_str(&format!(
                "  {attribute} = {}\n",
                tf_expression(u, &names, 3)?
            ));
        }
        if u.ratio(1, 4)? {
            text.push_str(&format!(
                "  dynamic \"ingress\" {{\n    for_each = {}\n    content {{\n      cidr_blocks = [ingress.value]\n    }}\n  }}\n",
                tf_expression(u, &names, 2)?
            ));
        }
        text.push_str("}\n");
    }
    // Calls to any generated module, this one included (so cycles and fan-out).
    for c in 0..small(u, 2)? {
        let target = small(u, modules - 1)?;
        let _ = own;
        text.push_str(&format!(
            "module \"m{c}\" {{\n  source = \"../m{target}\"\n"
        ));
        if u.ratio(1, 2)? {
            text.push_str(&format!("  count = {}\n", small(u, 3)?));
        }
        for v in 0..small(u, 3)? {
            text.push_str(&format!("  v{v} = {}\n", tf_expression(u, &names, 2)?));
        }
        text.push_str("}\n");
    }
    Ok(text)
}

fn terraform(u: &mut Unstructured) -> Result<Vec<(String, String)>> {
    let modules = 1 + small(u, 3)?;
    let mut files = Vec::new();
    for m in 0..modules {
        files.push((format!("m{m}/main.tf"), tf_module(u, modules, m)?));
    }
    if u.ratio(1, 3)? {
        files.push((
            "m0/terraform.tfvars".into(),
            format!("v0 = {}\n", tf_literal(u)?),
        ));
    }
    Ok(files)
}

// ---------------------------------------------------------------- CloudFormation

const CFN_PROPERTIES: &[&str] = &[
    "StorageEncrypted",
    "PubliclyAccessible",
    "Engine",
    "EngineVersion",
    "DBName",
    "MasterUsername",
    "MasterUserPassword",
    "BackupRetentionPeriod",
    "KmsKeyId",
    "EnableIAMDatabaseAuthentication",
    "DeletionProtection",
    "UserData",
];

fn cfn_scalar(u: &mut Unstructured) -> Result<String> {
    Ok(pick(
        u,
        &[
            "true",
            "false",
            "postgres",
            "\"0.0.0.0/0\"",
            "7",
            "a,b,c",
            "\"\"",
            "x",
        ],
    )?
    .to_string())
}

/// A value in flow style: scalars, flow sequences and intrinsics in both forms.
fn cfn_value(
    u: &mut Unstructured,
    params: usize,
    conditions: usize,
    depth: usize,
) -> Result<String> {
    if depth == 0 || u.ratio(1, 3)? {
        return Ok(match small(u, 3)? {
            0 => format!("!Ref P{}", small(u, params - 1)?),
            1 => "!Ref AWS::NoValue".to_string(),
            2 => "!GetAtt Key.Arn".to_string(),
            _ => cfn_scalar(u)?,
        });
    }
    let d = depth - 1;
    let inner = |u: &mut Unstructured| cfn_value(u, params, conditions, d);
    Ok(match small(u, 10)? {
        0 => {
            // A node has one tag: a tagged argument needs the long form.
            let argument = inner(u)?;
            if argument.starts_with('!') {
                format!("{{\"Fn::Base64\": {argument}}}")
            } else {
                format!("!Base64 {argument}")
            }
        }
        1 => format!("!Length [{}, {}]", inner(u)?, inner(u)?),
        2 => {
            // `${A}` used several times: doubling through Fn::Sub variables.
            let times = 1 + small(u, 3)?;
            format!("!Sub [\"{}\", {{A: {}}}]", "${A}".repeat(times), inner(u)?)
        }
        3 => format!("!Join [\"-\", [{}, {}]]", inner(u)?, inner(u)?),
        4 => format!("!Select [{}, [{}, {}]]", small(u, 2)?, inner(u)?, inner(u)?),
        5 => format!("!Split [\",\", {}]", inner(u)?),
        6 => format!(
            "!If [C{}, {}, {}]",
            small(u, conditions - 1)?,
            inner(u)?,
            inner(u)?
        ),
        7 => format!("{{\"Fn::Base64\": {}}}", inner(u)?),
        8 => format!("!FindInMap [M, {}, k]", inner(u)?),
        9 => format!("[{}, {}]", inner(u)?, inner(u)?),
        _ => format!("{{\"Fn::Join\": [\"\", [{}]]}}", inner(u)?),
    })
}

fn cfn_condition(
    u: &mut Unstructured,
    params: usize,
    conditions: usize,
    depth: usize,
) -> Result<String> {
    if depth == 0 || u.ratio(1, 3)? {
        return Ok(if u.ratio(1, 2)? {
            format!("!Condition C{}", small(u, conditions - 1)?)
        } else {
            format!(
                "!Equals [!Ref P{}, {}]",
                small(u, params - 1)?,
                cfn_scalar(u)?
            )
        });
    }
    let d = depth - 1;
    Ok(match small(u, 2)? {
        0 => format!("!Not [{}]", cfn_condition(u, params, conditions, d)?),
        1 => format!(
            "!And [{}, {}]",
            cfn_condition(u, params, conditions, d)?,
            cfn_condition(u, params, conditions, d)?
        ),
        _ => format!(
            "!Or [{}, {}]",
            cfn_condition(u, params, conditions, d)?,
            cfn_condition(u, params, conditions, d)?
        ),
    })
}

fn cloudformation(u: &mut Unstructured) -> Result<String> {
    let params = 1 + small(u, 4)?;
    let conditions = 1 + small(u, 6)?;
    let mut text = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n");
    for p in 0..params {
        text.push_str(&format!(
            "  P{p}:\n    Type: String\n    Default: {}\n",
            cfn_scalar(u)?
        ));
        if u.ratio(1, 4)? {
            text.push_str("    NoEcho: true\n");
        }
    }
    text.push_str("Mappings:\n  M:\n    postgres: {k: \"14\"}\n    x: {k: [a, b]}\nConditions:\n");
    for c in 0..conditions {
        text.push_str(&format!(
            "  C{c}: {}\n",
            cfn_condition(u, params, conditions, 3)?
        ));
    }
    text.push_str("Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: false\n");
    for r in 0..1 + small(u, 3)? {
        text.push_str(&format!("  Db{r}:\n    Type: AWS::RDS::DBInstance\n"));
        if u.ratio(1, 3)? {
            text.push_str(&format!("    Condition: C{}\n", small(u, conditions - 1)?));
        }
        text.push_str("    Properties:\n");
        for property in distinct(u, CFN_PROPERTIES, 5)? {
            text.push_str(&format!(
                "      {property}: {}\n",
                cfn_value(u, params, conditions, 4)?
            ));
        }
    }
    if u.ratio(1, 4)? {
        text.push_str(&format!(
            "  Fn::ForEach::Loop:\n    - Name\n    - [a, b, {}]\n    - Db${{Name}}X:\n        Type: AWS::RDS::DBInstance\n        Properties:\n          DBName: !Ref Name\n",
            cfn_scalar(u)?
        ));
        text = text.replacen(
            "AWSTemplateFormatVersion: \"2010-09-09\"\n",
            "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::LanguageExtensions\n",
            1,
        );
    }
    Ok(text)
}

// ---------------------------------------------------------------- Pulumi YAML

fn pulumi_value(u: &mut Unstructured, variables: usize, depth: usize) -> Result<String> {
    if depth == 0 || u.ratio(1, 3)? {
        return Ok(match small(u, 3)? {
            0 => format!("\"${{v{}}}\"", small(u, variables - 1)?),
            1 => "\"${c0}\"".to_string(),
            2 => "\"${key.arn}\"".to_string(),
            _ => pick(u, &["true", "false", "postgres", "\"0.0.0.0/0\"", "7"])?.to_string(),
        });
    }
    let d = depth - 1;
    Ok(match small(u, 3)? {
        0 => {
            let reference = format!("${{v{}}}", small(u, variables - 1)?);
            format!("\"{}\"", reference.repeat(1 + small(u, 3)?))
        }
        1 => format!(
            "[{}, {}]",
            pulumi_value(u, variables, d)?,
            pulumi_value(u, variables, d)?
        ),
        2 => format!("{{fn::secret: {}}}", pulumi_value(u, variables, d)?),
        _ => format!("{{a: {}}}", pulumi_value(u, variables, d)?),
    })
}

fn pulumi_yaml(u: &mut Unstructured) -> Result<String> {
    let variables = 1 + small(u, 8)?;
    let mut text = String::from("name: generated\nruntime: yaml\nconfig:\n  c0:\n");
    text.push_str(&format!(
        "    default: {}\n",
        pulumi_value(u, variables, 2)?
    ));
    text.push_str("variables:\n");
    for v in 0..variables {
        text.push_str(&format!("  v{v}: {}\n", pulumi_value(u, variables, 3)?));
    }
    text.push_str("resources:\n  key:\n    type: aws:kms:Key\n    properties:\n      enableKeyRotation: false\n");
    for r in 0..1 + small(u, 3)? {
        text.push_str(&format!(
            "  db{r}:\n    type: aws:rds:Instance\n    properties:\n"
        ));
        for property in distinct(
            u,
            &[
                "storageEncrypted",
                "publiclyAccessible",
                "engine",
                "password",
                "kmsKeyId",
                "backupRetentionPeriod",
                "dbName",
            ],
            5,
        )? {
            text.push_str(&format!(
                "      {property}: {}\n",
                pulumi_value(u, variables, 3)?
            ));
        }
    }
    Ok(text)
}
