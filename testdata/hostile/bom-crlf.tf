resource "aws_db_instance" "bom" {
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = false
}
