resource "aws_rds_cluster" "postgres_defaults" { # expect: TLS-003@1
  cluster_identifier = "postgres-defaults"
  engine             = "aurora-postgresql"
}

resource "aws_rds_cluster_parameter_group" "mysql_optional" {
  name   = "mysql-optional"
  family = "aurora-mysql8.0"

  parameter {
    name  = "require_secure_transport"
    value = "OFF" # expect: TLS-003@13
  }
}

resource "aws_rds_cluster" "mysql_optional" {
  cluster_identifier              = "mysql-optional"
  engine                          = "aurora-mysql"
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.mysql_optional.name
}
