variable "name" {
  description = "Name of the database."
  type        = string
}

variable "storage_encrypted" {
  description = "Encrypt the storage."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect from deletion."
  type        = bool
  default     = false
  validation {
    condition     = var.deletion_protection != null
    error_message = "Set it."
  }
}

variable "create_monitoring_role" {
  type      = bool
  default   = false
  sensitive = false
}
