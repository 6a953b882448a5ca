resource "aws_kms_key" "db" {
  description         = "database storage"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Account"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::123456789012:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AnyoneInTheAccount"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Decrypt"]
        Resource  = "*"
        Condition = { StringEquals = { "kms:CallerAccount" = "123456789012" } }
      },
    ]
  })
}

# No policy: the default key policy trusts only the account.
resource "aws_kms_key" "default_policy" {
  enable_key_rotation = true
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.db.arn
}

resource "aws_rds_cluster" "db" {
  engine            = "aurora-postgresql"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.default_policy.arn
}
