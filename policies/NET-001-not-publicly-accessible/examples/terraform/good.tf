resource "aws_db_instance" "private" {
  identifier          = "private"
  engine              = "postgres"
  engine_version      = "16.3"
  publicly_accessible = false
}

# Absent: the provider default is false.
resource "aws_db_instance" "default" {
  identifier     = "default"
  engine         = "postgres"
  engine_version = "16.3"
}
