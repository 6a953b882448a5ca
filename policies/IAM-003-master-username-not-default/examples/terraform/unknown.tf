variable "owner" {}

# Not known before apply: never a finding.
resource "aws_rds_cluster" "unknown" {
  cluster_identifier          = "unknown"
  engine                      = "aurora-postgresql"
  master_username             = var.owner
  manage_master_user_password = true
}
