variable "storage_encrypted_unknown" {}

# Not known before apply: never a finding.
resource "aws_rds_cluster" "unknown" {
  cluster_identifier = "unknown"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  storage_encrypted = var.storage_encrypted_unknown
}
