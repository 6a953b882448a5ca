resource "aws_rds_cluster" "week" {
  cluster_identifier = "week"
  engine                  = "aurora-postgresql"
  engine_version          = "15.4"
  backup_retention_period = 7
}

resource "aws_rds_cluster" "maximum" {
  cluster_identifier = "maximum"
  engine                  = "aurora-postgresql"
  engine_version          = "15.4"
  backup_retention_period = 35
}
