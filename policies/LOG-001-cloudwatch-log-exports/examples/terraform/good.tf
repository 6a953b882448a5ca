resource "aws_db_instance" "postgres" {
  identifier                      = "postgres"
  engine                          = "postgres"
  engine_version                  = "16.3"
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
}

resource "aws_rds_cluster" "aurora_mysql" {
  cluster_identifier              = "aurora-mysql"
  engine                          = "aurora-mysql"
  enabled_cloudwatch_logs_exports = ["audit", "error", "general", "slowquery"]
}
