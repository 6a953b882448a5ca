resource "aws_rds_cluster" "explicit" {
  engine                     = "aurora-postgresql"
  engine_version             = "15.4"
  auto_minor_version_upgrade = false # expect: PAT-002@32
}
