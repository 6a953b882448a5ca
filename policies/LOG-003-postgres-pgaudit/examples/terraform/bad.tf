resource "aws_db_instance" "defaults" { # expect: LOG-003@1
  engine         = "postgres"
  engine_version = "16.3"
}

resource "aws_db_parameter_group" "loaded_only" {
  name   = "loaded-only"
  family = "postgres16"

  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements,pgaudit"
    apply_method = "pending-reboot"
  }

  parameter {
    name  = "pgaudit.log"
    value = "none" # expect: LOG-003@13
  }
}

resource "aws_db_instance" "loaded_only" {
  engine               = "postgres"
  engine_version       = "16.3"
  parameter_group_name = aws_db_parameter_group.loaded_only.name
}
