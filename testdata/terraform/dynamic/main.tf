locals {
  admin_cidrs = ["10.20.0.0/16", "0.0.0.0/0"]
}

variable "extra_cidrs" {}

resource "aws_security_group" "db" {
  name = "db"

  dynamic "ingress" {
    for_each = local.admin_cidrs
    iterator = cidr
    content {
      from_port   = 5432
      to_port     = 5432
      protocol    = "tcp"
      cidr_blocks = [cidr.value] # expect: NET-004
    }
  }

  # Over a value not known before apply: no guess.
  dynamic "ingress" {
    for_each = var.extra_cidrs
    content {
      from_port   = 5432
      to_port     = 5432
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}

resource "aws_db_instance" "db" {
  identifier             = "db"
  engine                 = "postgres"
  engine_version         = "16.3"
  vpc_security_group_ids = [aws_security_group.db.id]
}
