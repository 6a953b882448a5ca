variable "password" {
  sensitive = true
}

resource "aws_db_instance" "from_pipeline" {
  engine         = "postgres"
  engine_version = "16.3"
  username       = "orders_owner"
  password       = var.password
}
