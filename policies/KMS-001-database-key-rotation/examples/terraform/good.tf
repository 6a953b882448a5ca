resource "aws_kms_key" "storage" {
  description         = "database storage"
  enable_key_rotation = true
}

# Not used by any database: another policy's concern.
resource "aws_kms_key" "unrelated" {
  description = "application data"
}

resource "aws_rds_cluster" "db" {
  cluster_identifier = "db"
  engine             = "aurora-postgresql"
  storage_encrypted  = true
  kms_key_id         = aws_kms_key.storage.arn
}
