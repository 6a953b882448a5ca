variable "retention_days" {}

# Not known before apply: never a finding.
resource "aws_rds_cluster" "unknown" {
  cluster_identifier = "unknown"
  engine                  = "aurora-postgresql"
  engine_version          = "15.4"
  backup_retention_period = var.retention_days
}
