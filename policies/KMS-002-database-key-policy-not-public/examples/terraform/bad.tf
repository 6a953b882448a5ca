resource "aws_kms_key" "db" {
  description         = "database storage"
  enable_key_rotation = true
  policy = jsonencode({ # expect: KMS-002@12
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Everyone"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.db.arn
}
