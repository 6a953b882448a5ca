resource "aws_db_instance" "mysql_default_group" { # expect: TLS-002@1
  identifier     = "mysql-default-group"
  engine         = "mysql"
  engine_version = "8.0.35"
}

resource "aws_db_parameter_group" "mariadb" {
  name   = "mariadb"
  family = "mariadb10.11"

  parameter {
    name  = "require_secure_transport"
    value = "OFF" # expect: TLS-002@13
  }
}

resource "aws_db_instance" "mariadb" {
  identifier           = "mariadb"
  engine               = "mariadb"
  engine_version       = "10.11.6"
  parameter_group_name = aws_db_parameter_group.mariadb.name
}

# The default group of a named engine family is the engine default: OFF.
resource "aws_db_instance" "named_default" {
  identifier           = "named-default"
  engine               = "mysql"
  engine_version       = "8.0.35"
  parameter_group_name = "default.mysql8.0" # expect: TLS-002@26
}
