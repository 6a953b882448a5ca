# terraform-aws-modules/rds-aurora/aws 10.x: a public member, a world-open ingress rule and
# unencrypted storage in the caller's arguments; the module's defaults land on the block.
module "aurora" { # expect: BAK-002 BAK-004 IAM-002 LOG-001 LOG-002 LOG-003 MON-001 MON-001 NET-007 TLS-003
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 10.0"

  name                   = "orders"
  engine                 = "aurora-postgresql"
  engine_version         = "16.4"
  cluster_instance_class = "db.r6g.large"
  instances = {
    one = {}
    two = { publicly_accessible = true } # expect: NET-001
  }

  vpc_id               = "vpc-0123456789abcdef0"
  db_subnet_group_name = "private"
  security_group_ingress_rules = {
    world = { cidr_ipv4 = "0.0.0.0/0" } # expect: NET-004 NET-005
  }
  storage_encrypted = false # expect: ENC-002
}
