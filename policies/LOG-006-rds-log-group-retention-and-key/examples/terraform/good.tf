resource "aws_cloudwatch_log_group" "kept" {
  name              = "/aws/rds/instance/orders/postgresql"
  retention_in_days = 365
  kms_key_id        = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd"
}

# Not an RDS log group.
resource "aws_cloudwatch_log_group" "application" {
  name = "/app/orders"
}
