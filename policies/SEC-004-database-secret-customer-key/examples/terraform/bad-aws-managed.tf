# Naming the AWS-managed key is no customer key.
resource "aws_secretsmanager_secret" "db" {
  name       = "orders/db"
  kms_key_id = "alias/aws/secretsmanager" # expect: SEC-004@16
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = random_password.db.result
}

resource "random_password" "db" {
  length = 32
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = "arn:aws:lambda:eu-west-1:123456789012:function:rotate"
  rotation_rules {
    automatically_after_days = 30
  }
}

resource "aws_db_instance" "db" {
  engine         = "postgres"
  engine_version = "16.3"
  username       = "orders_owner"
  password       = aws_secretsmanager_secret_version.db.secret_string
}
