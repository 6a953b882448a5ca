resource "aws_db_instance" "explicit" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
  multi_az       = false # expect: BAK-006@20
}

resource "aws_db_instance" "absent" { # expect: BAK-006@1
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}

resource "aws_db_instance" "sqlserver_standard" { # expect: BAK-006@1
  identifier     = "ledger"
  engine         = "sqlserver-se"
  engine_version = "15.00.4316.3.v1"
}
