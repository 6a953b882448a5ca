variable "storage_encrypted_setting" {
  default = false
}

resource "aws_rds_cluster" "explicit" {
  cluster_identifier = "explicit"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  storage_encrypted = false # expect: ENC-002@23
}

resource "aws_rds_cluster" "absent" { # expect: ENC-002@1
  cluster_identifier = "absent"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
}

resource "aws_rds_cluster" "through_variable" {
  cluster_identifier = "through-variable"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
  storage_encrypted = var.storage_encrypted_setting # expect: ENC-002@23
}

resource "aws_rds_cluster" "provisioned_mode" {
  cluster_identifier = "provisioned"
  engine             = "aurora-postgresql"
  engine_mode        = "provisioned"
  storage_encrypted  = false # expect: ENC-002@24
}
