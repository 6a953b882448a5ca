variable "iam_database_authentication_enabled_unknown" {}

# Not known before apply: never a finding.
resource "aws_db_instance" "unknown" {
  identifier = "unknown"
  engine         = "postgres"
  engine_version = "16.3"
  iam_database_authentication_enabled = var.iam_database_authentication_enabled_unknown
}
