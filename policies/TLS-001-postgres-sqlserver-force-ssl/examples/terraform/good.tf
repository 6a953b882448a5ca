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

# A custom group that leaves rds.force_ssl alone keeps the PostgreSQL 15+ default of 1.
resource "aws_db_parameter_group" "pg15_tuning" {
  name   = "pg15-tuning"
  family = "postgres15"

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }
}

resource "aws_db_instance" "pg15_custom_group" {
  identifier           = "pg15-custom-group"
  engine               = "postgres"
  engine_version       = "15.7"
  parameter_group_name = aws_db_parameter_group.pg15_tuning.name
}

# MySQL is TLS-002's concern.
resource "aws_db_instance" "mysql" {
  identifier     = "mysql"
  engine         = "mysql"
  engine_version = "8.0.35"
}
