# `jsonencode` of a document with a data source in it: the account statement is not known
# before apply and no other statement is open: the policy decides nothing (no finding).
data "aws_caller_identity" "current" {}

resource "aws_kms_key" "db" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Account"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Everyone"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:role/backup" }
        Action    = "kms:Decrypt"
        Resource  = "*"
      },
    ]
  })
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.db.arn
}
