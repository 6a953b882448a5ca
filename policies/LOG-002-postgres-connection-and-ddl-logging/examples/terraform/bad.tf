resource "aws_db_instance" "defaults" { # expect: LOG-002@1
  engine         = "postgres"
  engine_version = "16.3"
}

resource "aws_db_parameter_group" "no_ddl" {
  name   = "no-ddl"
  family = "postgres16"

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  parameter {
    name  = "log_statement"
    value = "none" # expect: LOG-002@13
  }
}

resource "aws_db_instance" "no_ddl" {
  engine               = "postgres"
  engine_version       = "16.3"
  parameter_group_name = aws_db_parameter_group.no_ddl.name
}
