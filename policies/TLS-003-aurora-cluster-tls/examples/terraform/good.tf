resource "aws_rds_cluster_parameter_group" "postgres_tls" {
  name   = "postgres-tls"
  family = "aurora-postgresql15"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_rds_cluster" "postgres_tls" {
  cluster_identifier              = "postgres-tls"
  engine                          = "aurora-postgresql"
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.postgres_tls.name
}

resource "aws_rds_cluster_parameter_group" "mysql_tls" {
  name   = "mysql-tls"
  family = "aurora-mysql8.0"

  parameter {
    name  = "require_secure_transport"
    value = "ON"
  }
}

resource "aws_rds_cluster" "mysql_tls" {
  cluster_identifier              = "mysql-tls"
  engine                          = "aurora-mysql"
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.mysql_tls.name
}
