resource "aws_security_group" "db" {
  name = "db"

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"] # expect: NET-008@20
  }
}

resource "aws_db_instance" "db" {
  engine                 = "postgres"
  engine_version         = "16.3"
  vpc_security_group_ids = [aws_security_group.db.id]
}
