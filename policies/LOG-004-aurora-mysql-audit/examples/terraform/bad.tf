resource "aws_rds_cluster" "defaults" { # expect: LOG-004@1
  cluster_identifier = "defaults"
  engine             = "aurora-mysql"
}

resource "aws_rds_cluster_parameter_group" "quiet" {
  name   = "quiet"
  family = "aurora-mysql8.0"

  parameter {
    name  = "server_audit_logging"
    value = "0" # expect: LOG-004@13
  }
}

resource "aws_rds_cluster" "quiet" {
  cluster_identifier              = "quiet"
  engine                          = "aurora-mysql"
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.quiet.name
}
