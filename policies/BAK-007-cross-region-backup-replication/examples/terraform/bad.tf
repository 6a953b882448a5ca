resource "aws_db_instance" "single_region" { # expect: BAK-007@1
  engine                  = "postgres"
  engine_version          = "16.3"
  backup_retention_period = 35
}
