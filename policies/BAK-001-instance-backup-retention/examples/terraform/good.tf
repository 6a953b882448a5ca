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
