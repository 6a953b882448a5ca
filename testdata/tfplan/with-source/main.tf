# Resolved by Terraform only at plan time: the replica count and encryption come from
# variables without defaults. Scanned alone, rampart knows neither; with plan.json beside
# it, it reports what Terraform planned, on these lines.

variable "replicas" {
  type = number
}

variable "encrypted" {
  type = bool
}

variable "password" {
  type      = string
  sensitive = true
}

resource "aws_kms_key" "db" {
  description         = "orders storage"
  enable_key_rotation = false
}

resource "aws_db_parameter_group" "pg" {
  name   = "orders-pg14"
  family = "postgres14"

  parameter {
    name  = "rds.force_ssl"
    value = "0"
  }
}

resource "aws_db_instance" "orders" {
  count                               = var.replicas
  identifier                          = "orders-${count.index}"
  engine                              = "postgres"
  engine_version                      = "14.10"
  instance_class                      = "db.t3.medium"
  storage_encrypted                   = var.encrypted
  kms_key_id                          = aws_kms_key.db.arn
  parameter_group_name                = aws_db_parameter_group.pg.name
  username                            = "orders_owner"
  password                            = var.password
  iam_database_authentication_enabled = true
  deletion_protection                 = true
  backup_retention_period             = 14
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
}
