# Express still has an error log, and it is not exported.
resource "aws_db_instance" "express" {
  identifier                      = "express"
  engine                          = "sqlserver-ex"
  instance_class                  = "db.t3.small"
  enabled_cloudwatch_logs_exports = [] # expect: LOG-001@37
}
