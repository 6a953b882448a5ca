resource "aws_security_group" "inline" {
  name = "inline"

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"] # expect: NET-004@34
  }
}

resource "aws_db_instance" "inline" {
  identifier             = "inline"
  engine                 = "postgres"
  engine_version         = "16.3"
  vpc_security_group_ids = [aws_security_group.inline.id]
}

resource "aws_security_group" "separate_rules" {
  name = "separate-rules"
}

resource "aws_security_group_rule" "all_traffic" {
  type              = "ingress"
  security_group_id = aws_security_group.separate_rules.id
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"] # expect: NET-004@24
}

resource "aws_vpc_security_group_ingress_rule" "ipv6_range" {
  security_group_id = aws_security_group.separate_rules.id
  ip_protocol       = "tcp"
  from_port         = 0
  to_port           = 65535
  cidr_ipv6         = "::/0" # expect: NET-004@23
}

resource "aws_rds_cluster" "separate_rules" {
  cluster_identifier     = "separate-rules"
  engine                 = "aurora-mysql"
  vpc_security_group_ids = [aws_security_group.separate_rules.id]
}
