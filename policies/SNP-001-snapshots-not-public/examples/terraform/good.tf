resource "aws_db_snapshot" "partner" {
  db_instance_identifier = "orders"
  db_snapshot_identifier = "orders-for-analytics"
  shared_accounts        = ["123456789012"]
}

resource "aws_db_snapshot" "private" {
  db_instance_identifier = "orders"
  db_snapshot_identifier = "orders-nightly"
}
