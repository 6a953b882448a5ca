variable "deletion_protection_unknown" {}

# Not known before apply: never a finding.
resource "aws_rds_cluster" "unknown" {
  cluster_identifier = "unknown"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  deletion_protection = var.deletion_protection_unknown
}
