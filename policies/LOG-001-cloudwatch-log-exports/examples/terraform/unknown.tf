variable "exports" {}

# Not known before apply: never a finding.
resource "aws_db_instance" "unknown" {
  identifier                      = "unknown"
  engine                          = "mysql"
  engine_version                  = "8.0.35"
  enabled_cloudwatch_logs_exports = var.exports
}
