resource "aws_db_proxy" "passwords" {
  name           = "passwords"
  engine_family  = "POSTGRESQL"
  role_arn       = "arn:aws:iam::123456789012:role/proxy"
  vpc_subnet_ids = ["subnet-0a", "subnet-0b"]
  auth {
    auth_scheme = "SECRETS"
    iam_auth    = "DISABLED" # expect: PRX-001@19
    secret_arn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"
  }
  require_tls    = true
}
