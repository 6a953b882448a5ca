# A member without the logging group runs the cluster parameter group's defaults,
# which log neither connections nor DDL: the cluster is flagged.
resource "aws_rds_cluster_parameter_group" "cluster" { # expect: LOG-002@1
  name   = "cluster"
  family = "aurora-postgresql16"
}

resource "aws_db_parameter_group" "members" {
  name   = "members"
  family = "aurora-postgresql16"

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }
}

resource "aws_rds_cluster" "orders" {
  cluster_identifier              = "orders"
  engine                          = "aurora-postgresql"
  engine_version                  = "16.4"
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.cluster.name
}

resource "aws_rds_cluster_instance" "writer" {
  cluster_identifier      = aws_rds_cluster.orders.id
  engine                  = "aurora-postgresql"
  instance_class          = "db.r6g.large"
  db_parameter_group_name = aws_db_parameter_group.members.name
}

resource "aws_rds_cluster_instance" "reader" {
  cluster_identifier = aws_rds_cluster.orders.id
  engine             = "aurora-postgresql"
  instance_class     = "db.r6g.large"
}
