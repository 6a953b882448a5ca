resource "aws_cloudwatch_log_group" "forever" { # expect: LOG-006@1
  name = "/aws/rds/instance/orders/postgresql"
}

resource "aws_cloudwatch_log_group" "no_key" { # expect: LOG-006@1
  name              = "/aws/rds/instance/orders/postgresql"
  retention_in_days = 365
}
