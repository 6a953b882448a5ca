resource "aws_db_instance" "latest" {
  engine         = "postgres"
  engine_version = null
  instance_class = "db.t3.medium"
}
