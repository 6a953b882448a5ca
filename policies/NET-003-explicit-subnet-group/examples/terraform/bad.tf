resource "aws_db_instance" "default_vpc" { # expect: NET-003@1
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}
