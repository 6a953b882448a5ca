variable "retention_days" {
  default = "3"
}

resource "aws_rds_cluster" "one_day" {
  cluster_identifier = "one-day"
  engine                  = "aurora-postgresql"
  engine_version          = "15.4"
  backup_retention_period = 1 # expect: BAK-002@29
}

# Absent: AWS keeps automated backups for 1 day.
resource "aws_rds_cluster" "absent" { # expect: BAK-002@1
  cluster_identifier = "absent"
  engine         = "aurora-postgresql"
  engine_version = "15.4"
}

resource "aws_rds_cluster" "through_variable" {
  cluster_identifier = "through-variable"
  engine                  = "aurora-postgresql"
  engine_version          = "15.4"
  backup_retention_period = var.retention_days # expect: BAK-002@29
}
