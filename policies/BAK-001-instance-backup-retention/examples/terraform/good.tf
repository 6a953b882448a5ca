variable "retention_days" {}

resource "aws_db_instance" "week" {
  identifier = "week"
  engine                  = "postgres"
  engine_version          = "16.3"
  backup_retention_period = 7
}

resource "aws_db_instance" "maximum" {
  identifier = "maximum"
  engine                  = "postgres"
  engine_version          = "16.3"
  backup_retention_period = 35
}

# Not known before apply: never a finding.
resource "aws_db_instance" "unknown" {
  identifier = "unknown"
  engine                  = "postgres"
  engine_version          = "16.3"
  backup_retention_period = var.retention_days
}
