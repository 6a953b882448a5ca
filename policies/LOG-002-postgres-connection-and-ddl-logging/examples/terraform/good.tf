resource "aws_db_parameter_group" "audited" {
  name   = "audited"
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
    value = "ddl"
  }
}

resource "aws_db_instance" "audited" {
  engine               = "postgres"
  engine_version       = "16.3"
  parameter_group_name = aws_db_parameter_group.audited.name
}

# MySQL: not this policy's engine.
resource "aws_db_instance" "mysql" {
  engine         = "mysql"
  engine_version = "8.0.35"
}
