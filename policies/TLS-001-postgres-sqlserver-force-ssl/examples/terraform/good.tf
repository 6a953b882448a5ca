variable "parameter_group" {}

# PostgreSQL 15 and later default rds.force_ssl to 1.
resource "aws_db_instance" "pg16_default_group" {
  identifier     = "pg16-default-group"
  engine         = "postgres"
  engine_version = "16.3"
}

resource "aws_db_parameter_group" "tls_on" {
  name   = "tls-on"
  family = "postgres14"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_instance" "pg14_tls_on" {
  identifier           = "pg14-tls-on"
  engine               = "postgres"
  engine_version       = "14.10"
  parameter_group_name = aws_db_parameter_group.tls_on.name
}

# A group outside this configuration cannot be read: never a finding.
resource "aws_db_instance" "external_group" {
  identifier           = "external-group"
  engine               = "postgres"
  engine_version       = "13.14"
  parameter_group_name = var.parameter_group
}

# MySQL is TLS-002's concern.
resource "aws_db_instance" "mysql" {
  identifier     = "mysql"
  engine         = "mysql"
  engine_version = "8.0.35"
}
