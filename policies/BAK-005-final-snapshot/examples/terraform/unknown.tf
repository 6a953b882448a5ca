variable "skip" {}

# Not known before apply: never a finding.
resource "aws_db_instance" "unknown" {
  identifier          = "unknown"
  engine              = "postgres"
  skip_final_snapshot = var.skip
}
