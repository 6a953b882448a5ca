variable "security_group_ids" {}

# Groups not known before apply: never a finding.
resource "aws_db_instance" "unknown" {
  identifier             = "unknown"
  engine                 = "postgres"
  engine_version         = "16.3"
  vpc_security_group_ids = var.security_group_ids
}
