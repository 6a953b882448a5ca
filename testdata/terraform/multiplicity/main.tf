locals {
  replicas = {
    primary = { encrypted = true, public = false }
    legacy  = { encrypted = false, public = false }
  }
}

variable "shard_count" {}

resource "aws_db_instance" "counted" {
  count                               = 2
  identifier                          = "counted-${count.index}"
  engine                              = "postgres"
  engine_version                      = "16.3"
  storage_encrypted                   = count.index == 0
  iam_database_authentication_enabled = true
}

# count = 0: no instance, so no finding.
resource "aws_db_instance" "disabled" {
  count             = 0
  identifier        = "disabled"
  engine            = "postgres"
  storage_encrypted = false
}

resource "aws_db_instance" "per_replica" {
  for_each                            = local.replicas
  identifier                          = "replica-${each.key}"
  engine                              = "postgres"
  engine_version                      = "16.3"
  storage_encrypted                   = each.value.encrypted
  publicly_accessible                 = each.value.public
  iam_database_authentication_enabled = true
}

# Instance keys not known before apply: one resource whose key is unknown, no guess.
resource "aws_db_instance" "sharded" {
  count                               = var.shard_count
  identifier                          = "shard-${count.index}"
  engine                              = "postgres"
  engine_version                      = "16.3"
  storage_encrypted                   = count.index < 100
  iam_database_authentication_enabled = true
}
