resource "aws_kms_key" "storage" {
  enable_key_rotation = true
}

resource "aws_db_instance" "orders" {
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.storage.arn
}

resource "aws_db_instance_automated_backups_replication" "dr" {
  source_db_instance_arn = aws_db_instance.orders.arn
  kms_key_id             = aws_kms_key.storage.arn # expect: ENC-006@28
}
