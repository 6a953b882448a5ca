# Arguments not known before apply (encryption, public access) give no finding; those known,
# and the module's defaults, still do. No version:
# the newest signature is read, and a notice says which.
variable "encrypted" {
  type = bool
}

variable "public" {
  type = bool
}

module "db" { # expect: BAK-001 BAK-003 BAK-007 IAM-001 LOG-001 LOG-002 LOG-003 MON-001 MON-002 NET-003 NET-007
  source = "github.com/terraform-aws-modules/terraform-aws-rds"

  identifier          = "orders"
  engine              = "postgres"
  storage_encrypted   = var.encrypted
  publicly_accessible = var.public
  multi_az            = false # expect: BAK-006
}
