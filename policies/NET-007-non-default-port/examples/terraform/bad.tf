resource "aws_db_instance" "explicit_default" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
  port           = 5432 # expect: NET-007@20
}

resource "aws_db_instance" "absent" { # expect: NET-007@1
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}
