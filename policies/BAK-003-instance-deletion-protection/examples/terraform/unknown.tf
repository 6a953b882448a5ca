variable "deletion_protection_unknown" {}

# Not known before apply: never a finding.
resource "aws_db_instance" "unknown" {
  identifier = "unknown"
  engine         = "postgres"
  engine_version = "16.3"
  deletion_protection = var.deletion_protection_unknown
}
