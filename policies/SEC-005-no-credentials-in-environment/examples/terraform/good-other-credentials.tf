# Credentials of other services are not database credentials (and not this policy's):
# an AWS access key, an API token, a mail password with no database in sight.
resource "aws_lambda_function" "notifier" {
  function_name = "notifier"
  role          = "arn:aws:iam::123456789012:role/notifier"
  handler       = "index.handler"
  runtime       = "nodejs20.x"

  environment {
    variables = {
      AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
      GITHUB_TOKEN          = "ghp_exampleexampleexampleexample0000"
      SMTP_HOST             = "smtp.example.com"
      PASSWORD              = "mail-password-123"
      WEBHOOK_URL           = "https://user:pass@hooks.example.com/notify"
    }
  }
}
