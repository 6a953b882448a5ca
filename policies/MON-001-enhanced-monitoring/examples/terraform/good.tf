resource "aws_db_instance" "monitored" {
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.t3.medium"
  monitoring_interval = 60
  monitoring_role_arn = "arn:aws:iam::123456789012:role/rds-monitoring"
}
