variable "storage_encrypted_unknown" {}

locals {
  storage_encrypted = true
}

resource "aws_rds_cluster" "literal" {
  cluster_identifier = "literal"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  storage_encrypted = true
}

resource "aws_rds_cluster" "through_local" {
  cluster_identifier = "through-local"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  storage_encrypted = local.storage_encrypted
}

# Not known before apply: never a finding.
resource "aws_rds_cluster" "unknown" {
  cluster_identifier = "unknown"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  storage_encrypted = var.storage_encrypted_unknown
}
