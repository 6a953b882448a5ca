resource "aws_db_security_group" "legacy" { # expect: NET-006
  name = "legacy"

  ingress {
    cidr = "10.0.0.0/24"
  }
}
