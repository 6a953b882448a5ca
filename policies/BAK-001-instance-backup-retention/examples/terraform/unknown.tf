variable "retention_days" {}

# Not known before apply: never a finding.
resource "aws_db_instance" "unknown" {
  identifier = "unknown"
  engine                  = "postgres"
  engine_version          = "16.3"
  backup_retention_period = var.retention_days
}
