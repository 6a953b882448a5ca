resource "aws_db_snapshot" "public" {
  db_instance_identifier = "orders"
  db_snapshot_identifier = "orders-before-migration"
  shared_accounts        = ["all"] # expect: SNP-001@28
}
