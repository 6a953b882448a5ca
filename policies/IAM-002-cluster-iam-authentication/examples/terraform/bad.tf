variable "iam_database_authentication_enabled_setting" {
  default = false
}

resource "aws_rds_cluster" "explicit" {
  cluster_identifier = "explicit"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  iam_database_authentication_enabled = false # expect: IAM-002@41
}

resource "aws_rds_cluster" "absent" { # expect: IAM-002@1
  cluster_identifier = "absent"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
}

resource "aws_rds_cluster" "through_variable" {
  cluster_identifier = "through-variable"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  iam_database_authentication_enabled = var.iam_database_authentication_enabled_setting # expect: IAM-002@41
}
