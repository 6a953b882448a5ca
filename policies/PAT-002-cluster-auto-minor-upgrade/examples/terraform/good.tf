resource "aws_rds_cluster" "enabled" {
  engine                     = "aurora-postgresql"
  engine_version             = "15.4"
  auto_minor_version_upgrade = true
}

# Absent: the default is on.
resource "aws_rds_cluster" "default" {
  engine         = "aurora-postgresql"
  engine_version = "15.4"
}
