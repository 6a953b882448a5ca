# Naming the AWS-managed key is no customer key.
resource "aws_db_snapshot_copy" "to_dr" {
  source_db_snapshot_identifier = "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-nightly"
  target_db_snapshot_identifier = "orders-nightly-dr"
  kms_key_id                    = "alias/aws/rds" # expect: ENC-004@35
}
