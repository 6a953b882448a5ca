variable "iam_database_authentication_enabled_unknown" {}

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

# Not known before apply: never a finding.
resource "aws_rds_cluster" "unknown" {
  cluster_identifier = "unknown"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  iam_database_authentication_enabled = var.iam_database_authentication_enabled_unknown
}
