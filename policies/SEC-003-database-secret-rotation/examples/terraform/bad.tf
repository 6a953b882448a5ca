resource "aws_secretsmanager_secret" "db" { # expect: SEC-003@1
  name = "orders/db"
  kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = random_password.db.result
}

resource "random_password" "db" {
  length = 32
}

resource "aws_db_instance" "db" {
  engine         = "postgres"
  engine_version = "16.3"
  username       = "orders_owner"
  password       = aws_secretsmanager_secret_version.db.secret_string
}
