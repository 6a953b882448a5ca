resource "aws_db_instance" "custom" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
  port           = 5433
}
