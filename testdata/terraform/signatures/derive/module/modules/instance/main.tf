variable "identifier" {
  type = string
}

variable "storage_encrypted" {
  type = bool
}

variable "deletion_protection" {
  type = bool
}

resource "aws_db_instance" "this" {
  identifier              = var.identifier
  engine                  = "postgres"
  instance_class          = "db.r6g.large"
  storage_encrypted       = var.storage_encrypted
  deletion_protection     = var.deletion_protection
  backup_retention_period = 14
  multi_az                = true
  db_subnet_group_name    = "private"
  port                    = 5532
  kms_key_id              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  manage_master_user_password         = true
  iam_database_authentication_enabled = true
  performance_insights_enabled        = true
  monitoring_interval                 = 30
  copy_tags_to_snapshot               = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  parameter_group_name                = "audited"
  vpc_security_group_ids              = ["sg-0123456789abcdef0"]
}

output "arn" {
  value = aws_db_instance.this.arn
}
