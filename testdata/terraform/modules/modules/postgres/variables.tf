variable "name" {
  type = string
}

variable "engine_version" {
  type    = string
  default = "16.3"
}

variable "storage_encrypted" {
  type    = bool
  default = true
}

variable "publicly_accessible" {
  type    = bool
  default = false
}

# The module's own default is too short: scanning this directory alone reports it.
variable "backup_retention_period" {
  type    = number
  default = 1
}

variable "security_group_ids" {
  type    = list(string)
  default = []
}
