locals {
  deletion_protection = true
}

resource "aws_db_instance" "literal" {
  identifier = "literal"
  engine         = "postgres"
  engine_version = "16.3"
  deletion_protection = true
}

resource "aws_db_instance" "through_local" {
  identifier = "through-local"
  engine         = "postgres"
  engine_version = "16.3"
  deletion_protection = local.deletion_protection
}
