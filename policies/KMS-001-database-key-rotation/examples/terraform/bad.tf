variable "rotate_cluster_key" {
  default = false
}

resource "aws_kms_key" "cluster" {
  description         = "cluster storage"
  enable_key_rotation = var.rotate_cluster_key # expect: KMS-001@25
}

resource "aws_rds_cluster" "db" {
  cluster_identifier = "db"
  engine             = "aurora-postgresql"
  engine_version     = "15.4"
  storage_encrypted  = true
  kms_key_id         = aws_kms_key.cluster.arn
}

resource "aws_kms_key" "storage" {
  description         = "database storage"
  enable_key_rotation = false # expect: KMS-001@25
}

resource "aws_kms_key" "insights" { # expect: KMS-001@1
  description = "performance insights"
}

resource "aws_db_instance" "db" {
  identifier                      = "db"
  engine                          = "postgres"
  engine_version                  = "16.3"
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.storage.arn
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.insights.arn
}
