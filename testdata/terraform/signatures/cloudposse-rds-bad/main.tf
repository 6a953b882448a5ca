# cloudposse/rds/aws 1.x (its `context` read through the cloudposse/label/null signature).
module "rds" { # expect: BAK-001 BAK-003 BAK-005 BAK-006 IAM-001 LOG-001 LOG-002 LOG-003 MON-001 MON-002 NET-008
  source  = "cloudposse/rds/aws"
  version = "1.3.0"

  namespace            = "eg"
  stage                = "prod"
  name                 = "orders"
  database_name        = "orders"
  database_user        = "admin" # expect: IAM-003
  database_password    = "hunter2hunter2" # expect: SEC-001 SEC-002
  database_port        = 5432 # expect: NET-007
  engine               = "postgres"
  engine_version       = "16.3"
  major_engine_version = "16"
  db_parameter_group   = "postgres16"
  instance_class       = "db.r6g.large"
  allocated_storage    = 50
  storage_encrypted    = false # expect: ENC-001
  publicly_accessible  = true # expect: NET-001
  vpc_id               = "vpc-0123456789abcdef0"
  subnet_ids           = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  allowed_cidr_blocks  = ["0.0.0.0/0"] # expect: NET-004 NET-005
}
