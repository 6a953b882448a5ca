resource "aws_kms_key" "this" {
  description         = "storage key for ${var.name}"
  enable_key_rotation = true
}

resource "aws_db_instance" "this" {
  identifier                          = var.name
  engine                              = "postgres"
  engine_version                      = var.engine_version
  instance_class                      = "db.t3.medium"
  storage_encrypted                   = var.storage_encrypted
  kms_key_id                          = aws_kms_key.this.arn
  publicly_accessible                 = var.publicly_accessible
  backup_retention_period             = var.backup_retention_period
  vpc_security_group_ids              = var.security_group_ids
  username                            = "${replace(var.name, "-", "_")}_owner"
  manage_master_user_password         = true
  iam_database_authentication_enabled = true
  deletion_protection                 = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
}
