resource "aws_lambda_function" "reports" {
  function_name = "reports"
  role          = "arn:aws:iam::123456789012:role/reports"
  handler       = "index.handler"
  runtime       = "nodejs20.x"

  environment {
    variables = {
      DB_HOST       = "orders.cluster-abc.eu-west-1.rds.amazonaws.com"
      DB_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db"
      DATABASE_URL  = "postgres://orders.internal:5432/orders"
    }
  }
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name  = "api"
    image = "api:1.0"
    secrets = [
      { name = "PGPASSWORD", valueFrom = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db" },
    ]
  }])
}
