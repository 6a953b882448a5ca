variable "rotate" {}

resource "aws_kms_key" "unknown" {
  description         = "rotation decided at apply"
  enable_key_rotation = var.rotate
}

resource "aws_db_instance" "db" {
  identifier        = "db"
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.unknown.arn
}
