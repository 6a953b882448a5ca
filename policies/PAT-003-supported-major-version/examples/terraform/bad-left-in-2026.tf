# PostgreSQL 13 left RDS standard support on 2026-02-28, MySQL 8.0 on 2026-07-31.
resource "aws_db_instance" "pg13" {
  engine         = "postgres"
  engine_version = "13.20" # expect: PAT-003@20
  instance_class = "db.t3.medium"
}

resource "aws_db_instance" "mysql80" {
  engine         = "mysql"
  engine_version = "8.0.42" # expect: PAT-003@20
  instance_class = "db.t3.medium"
}
