# PostgreSQL 14 with no parameter group: the default group leaves rds.force_ssl at 0.
resource "aws_db_instance" "pg14_default_group" { # expect: TLS-001@1
  identifier     = "pg14-default-group"
  engine         = "postgres"
  engine_version = "14.10"
}

resource "aws_db_parameter_group" "tls_off" {
  name   = "tls-off"
  family = "postgres16"

  parameter {
    name  = "rds.force_ssl"
    value = "0" # expect: TLS-001@13
  }
}

# Even PostgreSQL 16 is open when its group turns TLS off.
resource "aws_db_instance" "pg16_tls_off" {
  identifier           = "pg16-tls-off"
  engine               = "postgres"
  engine_version       = "16.3"
  parameter_group_name = aws_db_parameter_group.tls_off.name
}

resource "aws_db_parameter_group" "sqlserver" { # expect: TLS-001@1
  name   = "sqlserver"
  family = "sqlserver-se-15.0"
}

# SQL Server defaults rds.force_ssl to 0: the group must set it.
resource "aws_db_instance" "sqlserver" {
  identifier           = "sqlserver"
  engine               = "sqlserver-se"
  engine_version       = "15.00.4316.3.v1"
  license_model        = "license-included"
  parameter_group_name = aws_db_parameter_group.sqlserver.name
}
