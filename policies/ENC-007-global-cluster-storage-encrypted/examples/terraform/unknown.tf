variable "encrypted" {}

# Not known before apply: never a finding.
resource "aws_rds_global_cluster" "unknown" {
  global_cluster_identifier = "unknown"
  engine                    = "aurora-postgresql"
  storage_encrypted         = var.encrypted
}
