# Automated backups are off (retention 0): there is nothing to replicate. BAK-001 reports
# the retention itself.
resource "aws_db_instance" "no_backups" {
  identifier              = "no-backups"
  engine                  = "postgres"
  engine_version          = "16.3"
  backup_retention_period = 0
}
