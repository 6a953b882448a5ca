variable "rotate" {}

resource "aws_kms_key" "storage" {
  description         = "database storage"
  enable_key_rotation = true
}

resource "aws_kms_key" "unknown" {
  description         = "rotation decided at apply"
  enable_key_rotation = var.rotate
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

resource "aws_db_instance" "db" {
  identifier        = "db"
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.unknown.arn
}
