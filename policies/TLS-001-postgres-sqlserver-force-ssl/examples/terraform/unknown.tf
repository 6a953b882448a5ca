variable "parameter_group" {}

# A group outside this configuration cannot be read: never a finding.
resource "aws_db_instance" "external_group" {
  identifier           = "external-group"
  engine               = "postgres"
  engine_version       = "13.14"
  parameter_group_name = var.parameter_group
}
