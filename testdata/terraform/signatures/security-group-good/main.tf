# The hardened twin: the database admits the application's security group only (only the
# network policies are compared for this fixture).
module "db_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.0"

  name   = "orders-db"
  vpc_id = "vpc-0123456789abcdef0"
  ingress_with_source_security_group_id = [
    { from_port = 5532, to_port = 5532, protocol = "tcp", source_security_group_id = "sg-0123456789abcdef0" },
  ]
}

resource "aws_db_instance" "orders" {
  engine                 = "postgres"
  instance_class         = "db.r6g.large"
  port                   = 5532
  storage_encrypted      = true
  db_subnet_group_name   = "private"
  vpc_security_group_ids = [module.db_sg.security_group_id]
}
