resource "aws_db_security_group" "legacy" { # expect: NET-006@1
  name = "legacy"

  ingress {
    cidr = "10.0.0.0/24"
  }
}
