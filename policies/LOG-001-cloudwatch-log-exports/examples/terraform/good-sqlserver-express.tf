# SQL Server Express has no SQL Server Agent: its error log is all there is to export.
resource "aws_db_instance" "express" {
  identifier                      = "express"
  engine                          = "sqlserver-ex"
  instance_class                  = "db.t3.small"
  enabled_cloudwatch_logs_exports = ["error"]
}
