variable "storage_encrypted_setting" {
  default = false
}

resource "aws_db_instance" "explicit" {
  identifier = "explicit"
  engine         = "postgres"
  engine_version = "16.3"
  storage_encrypted = false # expect: ENC-001@23
}

resource "aws_db_instance" "absent" { # expect: ENC-001@1
  identifier = "absent"
  engine         = "postgres"
  engine_version = "16.3"
}

resource "aws_db_instance" "through_variable" {
  identifier = "through-variable"
  engine         = "postgres"
  engine_version = "16.3"
  storage_encrypted = var.storage_encrypted_setting # expect: ENC-001@23
}
