resource "aws_db_instance" "off" {
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.t3.medium"
  monitoring_interval = 0 # expect: MON-001@25
}

resource "aws_db_instance" "absent" { # expect: MON-001@1
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}
