# The AWS-managed key named by its alias ARN is still the AWS-managed key.
resource "aws_db_instance" "alias_arn" {
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.t3.medium"
  storage_encrypted = true
  kms_key_id        = "arn:aws:kms:eu-west-1:123456789012:alias/aws/rds" # expect: ENC-003@23
}
