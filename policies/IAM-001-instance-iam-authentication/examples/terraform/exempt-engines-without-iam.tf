# IAM database authentication does not exist for these engines (or this MariaDB version):
# asking for it would be a finding nobody can fix.
resource "aws_db_instance" "sqlserver" {
  identifier     = "reports"
  engine         = "sqlserver-se"
  engine_version = "15.00.4316.3.v1"
}

resource "aws_db_instance" "oracle" {
  identifier     = "ledger"
  engine         = "oracle-ee"
  engine_version = "19.0.0.0.ru-2024-01.rur-2024-01.r1"
}

resource "aws_db_instance" "old_mariadb" {
  identifier     = "legacy"
  engine         = "mariadb"
  engine_version = "10.6.16"
}
