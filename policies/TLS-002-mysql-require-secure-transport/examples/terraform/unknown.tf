variable "parameter_group" {}

# A group outside this configuration cannot be read: never a finding.
resource "aws_db_instance" "external" {
  identifier           = "external"
  engine               = "mysql"
  engine_version       = "8.0.35"
  parameter_group_name = var.parameter_group
}
