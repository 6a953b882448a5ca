locals {
  iam_database_authentication_enabled = true
}

resource "aws_rds_cluster" "literal" {
  cluster_identifier = "literal"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  iam_database_authentication_enabled = true
}

resource "aws_rds_cluster" "through_local" {
  cluster_identifier = "through-local"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  iam_database_authentication_enabled = local.iam_database_authentication_enabled
}
