resource "aws_db_instance" "no_group" { # expect: LOG-005@1
  engine         = "mysql"
  engine_version = "8.0.35"
}

resource "aws_db_option_group" "no_audit" {
  name                 = "no-audit"
  engine_name          = "mysql"
  major_engine_version = "8.0"

  option { # expect: LOG-005@3
    option_name = "MEMCACHED"
  }
}

resource "aws_db_instance" "no_audit" {
  engine            = "mysql"
  engine_version    = "8.0.35"
  option_group_name = aws_db_option_group.no_audit.name
}

resource "aws_db_instance" "engine_default_group" {
  engine            = "mariadb"
  engine_version    = "10.11.6"
  option_group_name = "default:mariadb-10-11" # expect: LOG-005@23
}
