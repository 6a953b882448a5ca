resource "aws_db_instance" "enabled" {
  engine                = "postgres"
  engine_version        = "16.3"
  instance_class        = "db.t3.medium"
  copy_tags_to_snapshot = true
}
