resource "aws_db_instance" "current_ca" {
  engine             = "postgres"
  engine_version     = "16.3"
  instance_class     = "db.t3.medium"
  ca_cert_identifier = "rds-ca-rsa2048-g1"
}
