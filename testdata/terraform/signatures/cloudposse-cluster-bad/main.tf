# cloudposse/rds-cluster/aws 2.x: two public members, a world-open ingress, a literal
# password and unencrypted storage.
module "cluster" { # expect: BAK-002 BAK-004 IAM-002 LOG-001 MON-001 MON-001 MON-002 MON-002 NET-008
  source  = "cloudposse/rds-cluster/aws"
  version = "~> 2.0"

  namespace           = "eg"
  stage               = "prod"
  name                = "orders"
  engine              = "aurora-postgresql"
  cluster_family      = "aurora-postgresql16"
  cluster_size        = 2
  admin_user          = "admin" # expect: IAM-003
  admin_password      = "hunter2hunter2" # expect: SEC-001 SEC-002
  db_name             = "orders"
  db_port             = 5432 # expect: NET-007
  instance_type       = "db.r6g.large"
  vpc_id              = "vpc-0123456789abcdef0"
  subnets             = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  allowed_cidr_blocks = ["0.0.0.0/0"] # expect: NET-004 NET-005
  storage_encrypted   = false # expect: ENC-002
  publicly_accessible = true # expect: NET-001 NET-001
}
