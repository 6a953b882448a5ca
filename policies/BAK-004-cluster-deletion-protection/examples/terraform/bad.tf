variable "deletion_protection_setting" {
  default = false
}

resource "aws_rds_cluster" "explicit" {
  cluster_identifier = "explicit"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  deletion_protection = false # expect: BAK-004@25
}

resource "aws_rds_cluster" "absent" { # expect: BAK-004@1
  cluster_identifier = "absent"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
}

resource "aws_rds_cluster" "through_variable" {
  cluster_identifier = "through-variable"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  deletion_protection = var.deletion_protection_setting # expect: BAK-004@25
}
