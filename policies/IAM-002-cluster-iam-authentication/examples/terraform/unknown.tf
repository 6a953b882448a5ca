variable "iam_database_authentication_enabled_unknown" {}

# Not known before apply: never a finding.
resource "aws_rds_cluster" "unknown" {
  cluster_identifier = "unknown"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  iam_database_authentication_enabled = var.iam_database_authentication_enabled_unknown
}
