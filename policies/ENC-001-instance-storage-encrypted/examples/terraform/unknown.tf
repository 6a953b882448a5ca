variable "storage_encrypted_unknown" {}

# Not known before apply: never a finding.
resource "aws_db_instance" "unknown" {
  identifier = "unknown"
  engine         = "postgres"
  engine_version = "16.3"
  storage_encrypted = var.storage_encrypted_unknown
}
