resource "aws_db_instance" "enabled" {
  engine                     = "postgres"
  engine_version             = "16.3"
  instance_class             = "db.t3.medium"
  auto_minor_version_upgrade = true
}

# Absent: the default is on.
resource "aws_db_instance" "default" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}
