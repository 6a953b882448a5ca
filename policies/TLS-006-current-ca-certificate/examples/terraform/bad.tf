resource "aws_db_instance" "expired_ca" {
  engine             = "postgres"
  engine_version     = "16.3"
  instance_class     = "db.t3.medium"
  ca_cert_identifier = "rds-ca-2019" # expect: TLS-006@24
}
