# Aurora Serverless v1 clusters are always encrypted: storage_encrypted has no effect.
resource "aws_rds_cluster" "serverless" {
  cluster_identifier = "reports"
  engine             = "aurora-postgresql"
  engine_mode        = "serverless"
}
