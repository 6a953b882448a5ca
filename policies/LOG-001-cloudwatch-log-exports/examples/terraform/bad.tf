resource "aws_db_instance" "postgres_partial" {
  identifier                      = "postgres-partial"
  engine                          = "postgres"
  engine_version                  = "16.3"
  enabled_cloudwatch_logs_exports = ["postgresql"] # expect: LOG-001
}

resource "aws_db_instance" "mysql_none" { # expect: LOG-001
  identifier     = "mysql-none"
  engine         = "mysql"
  engine_version = "8.0.35"
}

resource "aws_rds_cluster" "aurora_mysql" {
  cluster_identifier              = "aurora-mysql"
  engine                          = "aurora-mysql"
  enabled_cloudwatch_logs_exports = ["error", "slowquery"] # expect: LOG-001
}
