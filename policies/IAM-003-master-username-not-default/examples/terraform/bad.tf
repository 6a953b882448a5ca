variable "owner" {
  default = "postgres"
}

resource "aws_db_instance" "admin" {
  identifier                  = "admin"
  engine                      = "mysql"
  engine_version              = "8.0.35"
  username                    = "admin" # expect: IAM-003@33
  manage_master_user_password = true
}

resource "aws_db_instance" "through_variable" {
  identifier                  = "through-variable"
  engine                      = "postgres"
  engine_version              = "16.3"
  username                    = var.owner # expect: IAM-003@33
  manage_master_user_password = true
}

resource "aws_rds_cluster" "root" {
  cluster_identifier          = "root"
  engine                      = "aurora-mysql"
  master_username             = "Root" # expect: IAM-003@33
  manage_master_user_password = true
}
