variable "db_password" {
  description = "Master password (a default here is the mistake: it lives in git forever)."
  type        = string
  sensitive   = true
  default     = "SuperSecret123!"
}

variable "backup_days" {
  default = 1
}

# No default: whatever the pipeline passes is unknown here, and rampart never guesses.
variable "encrypt_reports" {
  type = bool
}
