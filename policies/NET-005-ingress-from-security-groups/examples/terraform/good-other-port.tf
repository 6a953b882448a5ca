# A shared group's CIDR rule for another port (SSH to a bastion on the same group) admits no
# one to the database; the database port is reached only from the application's group.
resource "aws_security_group" "app" {
  name = "app"
}

resource "aws_security_group" "shared" {
  name = "shared"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }

  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_db_instance" "db" {
  engine                 = "postgres"
  engine_version         = "16.3"
  vpc_security_group_ids = [aws_security_group.shared.id]
}
