variable "retention_days" {
  default = "3"
}

resource "aws_db_instance" "one_day" {
  identifier = "one-day"
  engine                  = "postgres"
  engine_version          = "16.3"
  backup_retention_period = 1 # expect: BAK-001@29
}

# Absent: AWS keeps automated backups for 1 day.
resource "aws_db_instance" "absent" { # expect: BAK-001@1
  identifier = "absent"
  engine         = "postgres"
  engine_version = "16.3"
}

resource "aws_db_instance" "through_variable" {
  identifier = "through-variable"
  engine                  = "postgres"
  engine_version          = "16.3"
  backup_retention_period = var.retention_days # expect: BAK-001@29
}
