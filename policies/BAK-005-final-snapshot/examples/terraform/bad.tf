variable "skip_final_snapshot" {
  default = true
}

locals {
  disposable = true
}

resource "aws_db_instance" "skipped" {
  identifier          = "skipped"
  engine              = "postgres"
  engine_version      = "16.3"
  skip_final_snapshot = true # expect: BAK-005@25
}

resource "aws_rds_cluster" "through_local" {
  cluster_identifier  = "through-local"
  engine              = "aurora-mysql"
  engine_version      = "8.0.mysql_aurora.3.05.2"
  skip_final_snapshot = local.disposable # expect: BAK-005@25
}

resource "aws_db_instance" "through_variable" {
  identifier          = "through-variable"
  engine              = "mysql"
  engine_version      = "8.0.35"
  skip_final_snapshot = var.skip_final_snapshot # expect: BAK-005@25
}
