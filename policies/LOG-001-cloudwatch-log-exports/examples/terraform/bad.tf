variable "sqlserver_exports" {
  default = ["error"]
}

resource "aws_db_instance" "postgres_partial" {
  identifier                      = "postgres-partial"
  engine                          = "postgres"
  engine_version                  = "16.3"
  enabled_cloudwatch_logs_exports = ["postgresql"] # expect: LOG-001@37
}

resource "aws_db_instance" "mysql_none" { # expect: LOG-001@1
  identifier     = "mysql-none"
  engine         = "mysql"
  engine_version = "8.0.35"
}

resource "aws_rds_cluster" "aurora_mysql" {
  cluster_identifier              = "aurora-mysql"
  engine                          = "aurora-mysql"
  enabled_cloudwatch_logs_exports = ["error", "slowquery"] # expect: LOG-001@37
}

resource "aws_db_instance" "sqlserver_through_variable" {
  identifier                      = "sqlserver-through-variable"
  engine                          = "sqlserver-se"
  engine_version                  = "15.00.4316.3.v1"
  license_model                   = "license-included"
  enabled_cloudwatch_logs_exports = var.sqlserver_exports # expect: LOG-001@37
}
