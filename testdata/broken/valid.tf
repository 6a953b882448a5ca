resource "aws_db_instance" "still_scanned" {
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = false
}
