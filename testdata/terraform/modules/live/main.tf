resource "aws_security_group" "db" {
  name = "live-db"

  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = ["sg-0app"]
  }
}

module "orders" {
  source                  = "../modules/postgres"
  name                    = "orders"
  backup_retention_period = 35
  security_group_ids      = [aws_security_group.db.id]
}

module "reporting" {
  source                  = "../modules/postgres"
  name                    = "reporting"
  storage_encrypted       = false # expect: ENC-001
  publicly_accessible     = var.reporting_public
  backup_retention_period = 35
  security_group_ids      = [aws_security_group.db.id]
}

# Registry modules are never downloaded: a note says it was not analysed.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
}
