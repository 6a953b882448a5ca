resource "aws_db_proxy" "plaintext" {
  name           = "plaintext"
  engine_family  = "POSTGRESQL"
  role_arn       = "arn:aws:iam::123456789012:role/proxy"
  vpc_subnet_ids = ["subnet-0a", "subnet-0b"]
  auth {
    auth_scheme = "SECRETS"
    iam_auth    = "REQUIRED"
    secret_arn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"
  }
  require_tls    = false # expect: TLS-007@20
}

resource "aws_db_proxy" "absent" { # expect: TLS-007@1
  name           = "absent"
  engine_family  = "POSTGRESQL"
  role_arn       = "arn:aws:iam::123456789012:role/proxy"
  vpc_subnet_ids = ["subnet-0a", "subnet-0b"]
  auth {
    auth_scheme = "SECRETS"
    iam_auth    = "REQUIRED"
    secret_arn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"
  }
}
