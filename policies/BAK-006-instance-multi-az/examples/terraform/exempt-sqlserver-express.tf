# RDS offers no Multi-AZ for SQL Server Express or Web: nothing to fix here.
resource "aws_db_instance" "express" {
  identifier     = "reports"
  engine         = "sqlserver-ex"
  engine_version = "15.00.4316.3.v1"
}
