# `default = null` is a known null: the argument is unset and the provider's default
# (unencrypted) applies; `replicate_source_db = null` makes no replica.
variable "storage_encrypted" {
  default = null
}

variable "replicate_source_db" {
  default = null
}

resource "aws_db_instance" "this" {
  identifier          = "orders"
  engine              = "postgres"
  engine_version      = "16.3"
  storage_encrypted   = var.storage_encrypted # expect: ENC-001@25
  replicate_source_db = var.replicate_source_db
}
