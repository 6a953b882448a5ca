variable "reporting_public" {
  type    = bool
  default = false
}
