resource "aws_db_instance" "private" {
  engine               = "postgres"
  engine_version       = "16.3"
  instance_class       = "db.t3.medium"
  db_subnet_group_name = "private-subnets"
}
