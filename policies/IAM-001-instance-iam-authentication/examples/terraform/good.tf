locals {
  iam_database_authentication_enabled = true
}

resource "aws_db_instance" "literal" {
  identifier = "literal"
  engine         = "postgres"
  engine_version = "16.3"
  iam_database_authentication_enabled = true
}

resource "aws_db_instance" "through_local" {
  identifier = "through-local"
  engine         = "postgres"
  engine_version = "16.3"
  iam_database_authentication_enabled = local.iam_database_authentication_enabled
}
