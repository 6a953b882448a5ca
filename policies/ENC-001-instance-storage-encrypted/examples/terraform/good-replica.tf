# A read replica inherits encryption and its key from the source: the source is where
# encryption is set (and checked), not the replica.
resource "aws_db_instance" "source" {
  identifier        = "orders"
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = true
}

resource "aws_db_instance" "replica" {
  identifier          = "orders-replica"
  replicate_source_db = aws_db_instance.source.identifier
}
