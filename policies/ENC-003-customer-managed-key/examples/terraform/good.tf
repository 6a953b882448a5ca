resource "aws_db_instance" "customer_key" {
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.t3.medium"
  storage_encrypted = true
  kms_key_id        = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd"
}

# Not encrypted at all: ENC-001 reports it.
resource "aws_db_instance" "unencrypted" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}
