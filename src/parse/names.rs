//! Attribute names as the user wrote them: a canonical attribute (`deletion_protection`)
//! in the words of the finding's format (`DeletionProtection` in CloudFormation,
//! `deletionProtection` in Pulumi, `deletion_protection` in Terraform), from each front
//! end's own rename table.

use crate::ir::Format;

/// `name` in the words of `format` for a resource of `native_type` (its type as the
/// source spells it); the canonical name where no other is known.
pub fn user_attribute_name(format: Format, native_type: &str, name: &str) -> String {
    match format {
        Format::Terraform => super::terraform::aliases::native_name(native_type, name).to_string(),
        Format::CloudFormation => super::cloudformation::aliases::property_name(native_type, name)
            .unwrap_or_else(|| name.to_string()),
        // The AWS provider for Pulumi is bridged from Terraform's: its property names are
        // Terraform's in camelCase.
        Format::Pulumi => {
            let terraform = super::pulumi::terraform_type(native_type).unwrap_or_default();
            camel_case(super::terraform::aliases::native_name(terraform, name))
        }
    }
}

/// `deletion_protection` -> `deletionProtection`.
fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A message template with every canonical attribute name of `kind` that it mentions
/// (a word with an underscore, so English words are never touched) in the words of
/// `format`. Placeholders (`{value}`) are left for the caller to fill.
pub fn in_user_words(
    template: &str,
    format: Format,
    native_type: &str,
    kind: Option<crate::ir::Kind>,
) -> String {
    let Some(kind) = kind else {
        return template.to_string();
    };
    let mut out = String::with_capacity(template.len());
    let mut word = String::new();
    let mut in_placeholder = false;
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('_') && kind.has_attr(word) {
            out.push_str(&user_attribute_name(format, native_type, word));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in template.chars() {
        if !in_placeholder && (c.is_ascii_alphanumeric() || c == '_') {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        match c {
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            _ => {}
        }
        out.push(c);
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Kind;

    #[test]
    fn canonical_names_in_each_format() {
        let cases = [
            (
                Format::CloudFormation,
                "AWS::RDS::DBInstance",
                "deletion_protection",
                "DeletionProtection",
            ),
            (
                Format::CloudFormation,
                "AWS::RDS::DBInstance",
                "multi_az",
                "MultiAZ",
            ),
            (
                Format::CloudFormation,
                "AWS::RDS::DBInstance",
                "db_subnet_group_name",
                "DBSubnetGroupName",
            ),
            (
                Format::CloudFormation,
                "AWS::RDS::DBInstance",
                "iam_database_authentication_enabled",
                "EnableIAMDatabaseAuthentication",
            ),
            (
                Format::CloudFormation,
                "AWS::RDS::DBInstance",
                "kms_key_id",
                "KmsKeyId",
            ),
            (
                Format::CloudFormation,
                "AWS::RDS::DBInstance",
                "master_password",
                "MasterUserPassword",
            ),
            (
                Format::Pulumi,
                "aws:rds/instance:Instance",
                "deletion_protection",
                "deletionProtection",
            ),
            (
                Format::Pulumi,
                "aws:rds/instance:Instance",
                "master_username",
                "username",
            ),
            (
                Format::Pulumi,
                "aws:rds/instance:Instance",
                "multi_az",
                "multiAz",
            ),
            (
                Format::Terraform,
                "aws_db_instance",
                "master_username",
                "username",
            ),
            (
                Format::Terraform,
                "aws_db_instance",
                "storage_encrypted",
                "storage_encrypted",
            ),
        ];
        for (format, native, canonical, expected) in cases {
            assert_eq!(
                user_attribute_name(format, native, canonical),
                expected,
                "{canonical}"
            );
        }
    }

    #[test]
    fn messages_name_attributes_as_the_format_does_and_leave_the_rest() {
        let template = "{address}: backup_retention_period is {value}, below the minimum; \
                        log_connections and engine unchanged";
        assert_eq!(
            in_user_words(
                template,
                Format::CloudFormation,
                "AWS::RDS::DBInstance",
                Some(Kind::DbInstance)
            ),
            "{address}: BackupRetentionPeriod is {value}, below the minimum; log_connections \
             and engine unchanged"
        );
        assert_eq!(
            in_user_words(
                template,
                Format::Pulumi,
                "aws:rds/instance:Instance",
                Some(Kind::DbInstance)
            ),
            "{address}: backupRetentionPeriod is {value}, below the minimum; log_connections \
             and engine unchanged"
        );
        assert_eq!(
            in_user_words(
                template,
                Format::Terraform,
                "aws_db_instance",
                Some(Kind::DbInstance)
            ),
            template
        );
    }
}
