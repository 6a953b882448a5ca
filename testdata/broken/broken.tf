resource "aws_db_instance" "broken" {
  engine            = "postgres"
  storage_encrypted = true
  port              = = 5432
}
