resource "aws_db_instance" "explicit" {
  engine                       = "postgres"
  engine_version               = "16.3"
  instance_class               = "db.t3.medium"
  performance_insights_enabled = false # expect: MON-002
}

resource "aws_db_instance" "absent" { # expect: MON-002
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}

# PostgreSQL on the same class has it.
resource "aws_db_instance" "small_postgres" { # expect: MON-002
  identifier     = "tiny-pg"
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.micro"
}
