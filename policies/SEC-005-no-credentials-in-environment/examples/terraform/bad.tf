resource "aws_lambda_function" "reports" {
  function_name = "reports"
  role          = "arn:aws:iam::123456789012:role/reports"
  handler       = "index.handler"
  runtime       = "nodejs20.x"

  environment {
    variables = {
      DB_HOST     = "orders.cluster-abc.eu-west-1.rds.amazonaws.com"
      DB_PASSWORD = "hunter2hunter2" # expect: SEC-005@21
      DATABASE_URL = "postgres://app:s3cret@orders.internal:5432/orders" # expect: SEC-005@22
    }
  }
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{ # expect: SEC-005@27
    name  = "api"
    image = "api:1.0"
    environment = [
      { name = "PGPASSWORD", value = "changeme-2024" },
    ]
  }])
}
