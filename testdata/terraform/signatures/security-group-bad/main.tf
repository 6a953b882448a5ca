# terraform-aws-modules/security-group/aws 5.x attached to databases written here (only the
# network policies are compared for this fixture): the
# postgresql preset open to the world, and a custom rule open to the world. The preset's
# default all-egress lands on its module block.
module "db_sg" { # expect: NET-008
  source  = "terraform-aws-modules/security-group/aws//modules/postgresql"
  version = "~> 5.0"

  name                = "orders-db"
  vpc_id              = "vpc-0123456789abcdef0"
  ingress_cidr_blocks = ["0.0.0.0/0"] # expect: NET-004 NET-005
}

module "custom_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.0"

  name   = "orders-db-custom"
  vpc_id = "vpc-0123456789abcdef0"
  ingress_with_cidr_blocks = [
    { from_port = 5532, to_port = 5532, protocol = "tcp", cidr_blocks = "10.0.0.0/8,0.0.0.0/0" }, # expect: NET-004 NET-005
  ]
}

resource "aws_db_instance" "orders" {
  engine                              = "postgres"
  instance_class                      = "db.r6g.large"
  port                                = 5432 # expect: NET-007
  storage_encrypted                   = true
  db_subnet_group_name                = "private"
  vpc_security_group_ids              = [module.db_sg.security_group_id]
  iam_database_authentication_enabled = true
}

resource "aws_db_instance" "reports" {
  engine                              = "postgres"
  instance_class                      = "db.r6g.large"
  port                                = 5532
  storage_encrypted                   = true
  db_subnet_group_name                = "private"
  vpc_security_group_ids              = [module.custom_sg.security_group_id]
  iam_database_authentication_enabled = true
}
