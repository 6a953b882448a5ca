variable "iam_database_authentication_enabled_setting" {
  default = false
}

resource "aws_db_instance" "explicit" {
  identifier = "explicit"
  engine         = "postgres"
  engine_version = "16.3"
  iam_database_authentication_enabled = false # expect: IAM-001@41
}

resource "aws_db_instance" "absent" { # expect: IAM-001@1
  identifier = "absent"
  engine         = "postgres"
  engine_version = "16.3"
}

resource "aws_db_instance" "through_variable" {
  identifier = "through-variable"
  engine         = "postgres"
  engine_version = "16.3"
  iam_database_authentication_enabled = var.iam_database_authentication_enabled_setting # expect: IAM-001@41
}

resource "aws_db_instance" "mariadb_with_iam_support" { # expect: IAM-001@1
  identifier     = "catalog"
  engine         = "mariadb"
  engine_version = "10.11.6"
}
