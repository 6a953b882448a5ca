resource "aws_db_instance" "aws_managed" { # expect: ENC-003@1
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.t3.medium"
  storage_encrypted = true
}

resource "aws_db_instance" "aws_alias" {
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.t3.medium"
  storage_encrypted = true
  kms_key_id        = "alias/aws/rds" # expect: ENC-003@23
}
