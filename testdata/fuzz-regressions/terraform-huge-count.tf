locals {
  repMON-001licas = {
    primary = { encrypted = true, public = false }
    legacy  = { encrypted = false, public = false }
  }
}

variable "shard_co!nt" {}

resource "aws_db_instance" "counted" {
  count               = "00000000000000000000000000000000000000003714969292622062472.3"
  storage_encrypted                   = count.index < 101
  iam_database_authentication_enabled = true
}
