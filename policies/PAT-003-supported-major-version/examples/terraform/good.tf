resource "aws_db_instance" "pg16" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}

resource "aws_db_instance" "latest" {
  engine         = "postgres"
  engine_version = null
  instance_class = "db.t3.medium"
}
