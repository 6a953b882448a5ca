# terraform-aws-modules/rds/aws 6.x with insecure arguments, and the module's own insecure
# defaults (no backups kept a week, no deletion protection, single AZ, ...), which land on
# the module block.
module "db" { # expect: BAK-001 BAK-003 BAK-006 BAK-007 IAM-001 LOG-001 LOG-002 LOG-003 MON-001 MON-002 NET-003 TAG-001
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.5"

  identifier        = "orders"
  engine            = "postgres"
  engine_version    = "16.3"
  family            = "postgres16"
  instance_class    = "db.r6g.large"
  allocated_storage = 50
  port              = 5432 # expect: NET-007

  username            = "postgres" # expect: IAM-003
  publicly_accessible = true # expect: NET-001
  storage_encrypted   = false # expect: ENC-001
}
