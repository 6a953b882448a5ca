resource "aws_security_group" "db" {
  name        = "orders-db"
  description = "PostgreSQL access"
  vpc_id      = "vpc-0a1b2c3d"

  ingress {
    description = "anyone, for debugging"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # expect: NET-004 NET-005
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"] # expect: NET-008
  }
}

resource "aws_security_group" "analytics" {
  name   = "analytics-db"
  vpc_id = "vpc-0a1b2c3d"
}

resource "aws_security_group_rule" "analytics_everything" {
  type              = "ingress"
  security_group_id = aws_security_group.analytics.id
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  ipv6_cidr_blocks  = ["::/0"] # expect: NET-004 NET-005
}
