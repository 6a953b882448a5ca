# A small module in the shape of the registry's database modules.
terraform {
  required_version = ">= 1.3"
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_partition" "current" {}

locals {
  name = "${var.name}-db"
}

module "instance" {
  source = "./modules/instance"

  identifier          = local.name
  storage_encrypted   = var.storage_encrypted
  deletion_protection = var.deletion_protection
}

module "dns" {
  source  = "acme-corp/dns/aws"
  version = "1.0.0"
  name    = local.name
}

resource "aws_iam_role" "monitoring" {
  count = var.create_monitoring_role ? 1 : 0
  name  = "${local.name}-monitoring"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
  })
}
