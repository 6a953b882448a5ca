resource "aws_db_instance" "replicated" {
  engine                  = "postgres"
  engine_version          = "16.3"
  backup_retention_period = 35
}

resource "aws_db_instance_automated_backups_replication" "dr" {
  source_db_instance_arn = aws_db_instance.replicated.arn
  kms_key_id             = "arn:aws:kms:eu-central-1:123456789012:key/dr"
  retention_period       = 14
}
