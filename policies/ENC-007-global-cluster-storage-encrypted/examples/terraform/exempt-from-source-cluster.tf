# Built from an existing cluster: it takes that cluster's encryption.
resource "aws_rds_cluster" "primary" {
  cluster_identifier = "primary"
  engine             = "aurora-postgresql"
  storage_encrypted  = true
}

resource "aws_rds_global_cluster" "from_primary" {
  global_cluster_identifier    = "from-primary"
  source_db_cluster_identifier = aws_rds_cluster.primary.arn
  force_destroy                = true
}
