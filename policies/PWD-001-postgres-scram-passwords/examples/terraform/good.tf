# PostgreSQL 14 and later default to scram-sha-256.
resource "aws_db_instance" "pg16" {
  engine         = "postgres"
  engine_version = "16.3"
}

resource "aws_db_parameter_group" "scram" {
  name   = "scram"
  family = "postgres13"

  parameter {
    name  = "password_encryption"
    value = "scram-sha-256"
  }
}

resource "aws_db_instance" "pg13_scram" {
  engine               = "postgres"
  engine_version       = "13.14"
  parameter_group_name = aws_db_parameter_group.scram.name
}
