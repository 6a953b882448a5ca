resource "aws_db_parameter_group" "on" {
  name   = "on"
  family = "mysql8.0"

  parameter {
    name  = "require_secure_transport"
    value = "ON"
  }
}

resource "aws_db_instance" "mysql" {
  identifier           = "mysql"
  engine               = "mysql"
  engine_version       = "8.0.35"
  parameter_group_name = aws_db_parameter_group.on.name
}

resource "aws_db_parameter_group" "one" {
  name   = "one"
  family = "mariadb10.11"

  parameter {
    name  = "require_secure_transport"
    value = "1"
  }
}

resource "aws_db_instance" "mariadb" {
  identifier           = "mariadb"
  engine               = "mariadb"
  engine_version       = "10.11.6"
  parameter_group_name = aws_db_parameter_group.one.name
}
