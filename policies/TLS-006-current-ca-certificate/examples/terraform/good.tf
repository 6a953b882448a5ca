resource "aws_db_instance" "current_ca" {
  engine             = "postgres"
  engine_version     = "16.3"
  instance_class     = "db.t3.medium"
  ca_cert_identifier = "rds-ca-rsa2048-g1"
}

# Absent: AWS assigns its current default CA.
resource "aws_db_instance" "aws_default" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}
