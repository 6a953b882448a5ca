variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "from_variable_without_default" {
  identifier     = "from-variable"
  engine         = "postgres"
  engine_version = "16.3"
  username       = "app_owner"
  password       = var.db_password
}
