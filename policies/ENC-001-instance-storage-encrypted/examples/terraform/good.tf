variable "storage_encrypted_unknown" {}

locals {
  storage_encrypted = true
}

resource "aws_db_instance" "literal" {
  identifier = "literal"
  engine         = "postgres"
  engine_version = "16.3"
  storage_encrypted = true
}

resource "aws_db_instance" "through_local" {
  identifier = "through-local"
  engine         = "postgres"
  engine_version = "16.3"
  storage_encrypted = local.storage_encrypted
}

# Not known before apply: never a finding.
resource "aws_db_instance" "unknown" {
  identifier = "unknown"
  engine         = "postgres"
  engine_version = "16.3"
  storage_encrypted = var.storage_encrypted_unknown
}
