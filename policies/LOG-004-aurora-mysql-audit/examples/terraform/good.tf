resource "aws_rds_cluster_parameter_group" "audited" {
  name   = "audited"
  family = "aurora-mysql8.0"

  parameter {
    name  = "server_audit_logging"
    value = "1"
  }

  parameter {
    name  = "server_audit_events"
    value = "CONNECT,QUERY_DDL,QUERY_DCL"
  }
}

resource "aws_rds_cluster" "audited" {
  cluster_identifier              = "audited"
  engine                          = "aurora-mysql"
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.audited.name
}
