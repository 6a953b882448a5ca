# A generic PASSWORD beside the database's host is the database's password.
resource "aws_lambda_function" "reports" {
  function_name = "reports"
  role          = "arn:aws:iam::123456789012:role/reports"
  handler       = "index.handler"
  runtime       = "nodejs20.x"

  environment {
    variables = {
      HOST     = "orders.cluster-abc.eu-west-1.rds.amazonaws.com"
      USER     = "orders_app"
      PASSWORD = "hunter2hunter2" # expect: SEC-005@18
    }
  }
}
