variable "retention" {
  default = 35
}

variable "encrypted" {
  default = true
}

resource "aws_db_instance" "db" {
  identifier              = "db"
  engine                  = "postgres"
  engine_version          = "16.3"
  backup_retention_period = var.retention
  storage_encrypted       = var.encrypted
}
