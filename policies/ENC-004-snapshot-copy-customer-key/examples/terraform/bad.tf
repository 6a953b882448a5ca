resource "aws_db_snapshot_copy" "to_dr" { # expect: ENC-004@1
  source_db_snapshot_identifier = "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-nightly"
  target_db_snapshot_identifier = "orders-nightly-dr"
}
