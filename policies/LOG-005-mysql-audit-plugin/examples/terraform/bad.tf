resource "aws_db_instance" "no_group" { # expect: LOG-005@1
  engine         = "mysql"
  engine_version = "8.0.35"
}

resource "aws_db_option_group" "no_audit" { # expect: LOG-005@1
  name                 = "no-audit"
  engine_name          = "mysql"
  major_engine_version = "8.0"

  option {
    option_name = "MEMCACHED"
  }
}

resource "aws_db_instance" "no_audit" {
  engine            = "mysql"
  engine_version    = "8.0.35"
  option_group_name = aws_db_option_group.no_audit.name
}
