resource "aws_db_instance" "explicit" {
  engine                     = "postgres"
  engine_version             = "16.3"
  instance_class             = "db.t3.medium"
  auto_minor_version_upgrade = false # expect: PAT-001@32
}
