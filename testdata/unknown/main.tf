# Every value a policy would read is unknown before apply: no finding may come from them.

variable "encrypted" {}
variable "public" {}
variable "retention" {}
variable "password" {
  sensitive = true
}
variable "username" {}
variable "engine_version" {}
variable "parameter_group" {}
variable "security_groups" {}

data "aws_secretsmanager_secret_version" "db" {
  secret_id = "prod/db"
}

resource "random_password" "db" {
  length = 32
}

resource "aws_db_instance" "from_variables" {
  engine                              = "postgres"
  engine_version                      = var.engine_version
  storage_encrypted                   = var.encrypted
  publicly_accessible                 = var.public
  backup_retention_period             = var.retention
  deletion_protection                 = var.encrypted
  skip_final_snapshot                 = var.public
  iam_database_authentication_enabled = var.encrypted
  username                            = var.username
  password                            = var.password
  parameter_group_name                = var.parameter_group
  vpc_security_group_ids              = var.security_groups
  enabled_cloudwatch_logs_exports     = var.security_groups
}

resource "aws_rds_cluster" "from_data_and_functions" {
  engine                              = "aurora-postgresql"
  storage_encrypted                   = data.aws_secretsmanager_secret_version.db.id != ""
  master_username                     = lower(var.username)
  master_password                     = data.aws_secretsmanager_secret_version.db.secret_string
  backup_retention_period             = max(var.retention, 1)
  deletion_protection                 = var.public ? false : true
  iam_database_authentication_enabled = can(var.encrypted)
  skip_final_snapshot                 = var.public
  enabled_cloudwatch_logs_exports     = concat(var.security_groups, [])
}

resource "aws_db_instance" "generated_password" {
  engine                              = "mysql"
  engine_version                      = "8.0.35"
  storage_encrypted                   = true
  username                            = var.username
  password                            = random_password.db.result
  iam_database_authentication_enabled = true
  deletion_protection                 = true
  backup_retention_period             = 14
  skip_final_snapshot                 = false
  parameter_group_name                = var.parameter_group
  vpc_security_group_ids              = var.security_groups
  enabled_cloudwatch_logs_exports     = var.security_groups
}
