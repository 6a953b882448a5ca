resource "aws_db_instance" "default_key" { # expect: ENC-005@1
  engine                       = "postgres"
  engine_version               = "16.3"
  instance_class               = "db.t3.medium"
  performance_insights_enabled = true
}
