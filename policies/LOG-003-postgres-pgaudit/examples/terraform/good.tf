resource "aws_db_parameter_group" "audited" {
  name   = "audited"
  family = "postgres16"

  parameter {
    name         = "shared_preload_libraries"
    value        = "pgaudit"
    apply_method = "pending-reboot"
  }

  parameter {
    name  = "pgaudit.log"
    value = "ddl,role"
  }
}

resource "aws_db_instance" "audited" {
  engine               = "postgres"
  engine_version       = "16.3"
  parameter_group_name = aws_db_parameter_group.audited.name
}
