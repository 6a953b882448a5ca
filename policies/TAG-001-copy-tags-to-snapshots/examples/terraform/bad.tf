resource "aws_db_instance" "explicit" {
  engine                = "postgres"
  engine_version        = "16.3"
  instance_class        = "db.t3.medium"
  copy_tags_to_snapshot = false # expect: TAG-001@27
}

resource "aws_db_instance" "absent" { # expect: TAG-001@1
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}
