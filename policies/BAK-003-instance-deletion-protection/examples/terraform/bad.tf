variable "deletion_protection_setting" {
  default = false
}

resource "aws_db_instance" "explicit" {
  identifier = "explicit"
  engine         = "postgres"
  engine_version = "16.3"
  deletion_protection = false # expect: BAK-003@25
}

resource "aws_db_instance" "absent" { # expect: BAK-003@1
  identifier = "absent"
  engine         = "postgres"
  engine_version = "16.3"
}

resource "aws_db_instance" "through_variable" {
  identifier = "through-variable"
  engine         = "postgres"
  engine_version = "16.3"
  deletion_protection = var.deletion_protection_setting # expect: BAK-003@25
}
