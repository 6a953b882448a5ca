resource "aws_db_instance" "pg12" {
  engine         = "postgres"
  engine_version = "12.19" # expect: PAT-003@20
  instance_class = "db.t3.medium"
}
