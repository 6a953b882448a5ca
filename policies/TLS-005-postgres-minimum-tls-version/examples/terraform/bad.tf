resource "aws_db_parameter_group" "legacy_clients" {
  name   = "legacy-clients"
  family = "postgres16"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "ssl_min_protocol_version"
    value = "TLSv1" # expect: TLS-005@13
  }
}

resource "aws_db_instance" "legacy_clients" {
  engine               = "postgres"
  engine_version       = "16.3"
  parameter_group_name = aws_db_parameter_group.legacy_clients.name
}
