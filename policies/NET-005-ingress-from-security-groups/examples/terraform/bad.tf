resource "aws_security_group" "db" {
  name = "db"

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"] # expect: NET-005@20
  }
}

resource "aws_db_instance" "db" {
  engine                 = "postgres"
  engine_version         = "16.3"
  vpc_security_group_ids = [aws_security_group.db.id]
}
