variable "owner" {}

resource "aws_db_instance" "custom" {
  identifier                  = "custom"
  engine                      = "postgres"
  engine_version              = "16.3"
  username                    = "orders_owner"
  manage_master_user_password = true
}

# Not known before apply: never a finding.
resource "aws_rds_cluster" "unknown" {
  cluster_identifier          = "unknown"
  engine                      = "aurora-postgresql"
  master_username             = var.owner
  manage_master_user_password = true
}
