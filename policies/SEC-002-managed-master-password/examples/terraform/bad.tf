resource "aws_db_instance" "typed" {
  engine         = "postgres"
  engine_version = "16.3"
  username       = "orders_owner"
  password       = "Typed-Once-2024" # expect: SEC-002@20
}
