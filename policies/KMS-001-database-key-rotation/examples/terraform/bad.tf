resource "aws_kms_key" "storage" {
  description         = "database storage"
  enable_key_rotation = false # expect: KMS-001
}

resource "aws_kms_key" "insights" { # expect: KMS-001
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
