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
