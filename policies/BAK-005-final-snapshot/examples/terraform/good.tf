resource "aws_db_instance" "kept" {
  identifier                = "kept"
  engine                    = "postgres"
  engine_version            = "16.3"
  skip_final_snapshot       = false
  final_snapshot_identifier = "kept-final"
}

# Absent: the provider default is false.
resource "aws_rds_cluster" "default" {
  cluster_identifier        = "default"
  engine                    = "aurora-postgresql"
  final_snapshot_identifier = "default-final"
}
