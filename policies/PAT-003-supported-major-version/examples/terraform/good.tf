resource "aws_db_instance" "pg16" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}
