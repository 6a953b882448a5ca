# PostgreSQL 13 defaults to md5.
resource "aws_db_instance" "pg13" { # expect: PWD-001@1
  engine         = "postgres"
  engine_version = "13.14"
}

resource "aws_db_parameter_group" "md5" {
  name   = "md5"
  family = "postgres16"

  parameter {
    name  = "password_encryption"
    value = "md5" # expect: PWD-001@13
  }
}

resource "aws_db_instance" "pinned_md5" {
  engine               = "postgres"
  engine_version       = "16.3"
  parameter_group_name = aws_db_parameter_group.md5.name
}
