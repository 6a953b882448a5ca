variable "db_password" {
  type      = string
  sensitive = true
  default   = "Sup3rSecret!"
}

locals {
  admin_password = "changeme-${var.db_password}"
}

resource "aws_db_instance" "literal" {
  identifier     = "literal"
  engine         = "postgres"
  engine_version = "16.3"
  username       = "app_owner"
  password       = "hunter2hunter2" # expect: SEC-001@20
}

resource "aws_db_instance" "variable_default" {
  identifier     = "variable-default"
  engine         = "mysql"
  engine_version = "8.0.35"
  username       = "app_owner"
  password       = var.db_password # expect: SEC-001@20
}

resource "aws_rds_cluster" "through_local" {
  cluster_identifier = "through-local"
  engine             = "aurora-postgresql"
  master_username    = "app_owner"
  master_password    = local.admin_password # expect: SEC-001@24
}
