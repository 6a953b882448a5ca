resource "aws_rds_global_cluster" "explicit" {
  global_cluster_identifier = "explicit"
  engine                    = "aurora-postgresql"
  engine_version            = "15.4"
  storage_encrypted         = false # expect: ENC-007@31
}

# The provider's default is not encrypted.
resource "aws_rds_global_cluster" "absent" { # expect: ENC-007@1
  global_cluster_identifier = "absent"
  engine                    = "aurora-mysql"
}
