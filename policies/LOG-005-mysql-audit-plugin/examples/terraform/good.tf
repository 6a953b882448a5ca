resource "aws_db_option_group" "audit" {
  name                 = "audit"
  engine_name          = "mysql"
  major_engine_version = "8.0"

  option {
    option_name = "MARIADB_AUDIT_PLUGIN"

    option_settings {
      name  = "SERVER_AUDIT_EVENTS"
      value = "CONNECT,QUERY_DDL,QUERY_DCL"
    }
  }
}

resource "aws_db_instance" "audited" {
  engine            = "mysql"
  engine_version    = "8.0.35"
  option_group_name = aws_db_option_group.audit.name
}

# PostgreSQL has no audit plugin option: pgAudit is LOG-003.
resource "aws_db_instance" "postgres" {
  engine         = "postgres"
  engine_version = "16.3"
}
