resource "aws_db_subnet_group" "private" {
  name       = "${var.name}-private"
  subnet_ids = var.private_subnet_ids
}

resource "aws_security_group" "app" {
  name   = "${var.name}-app"
  vpc_id = var.vpc_id
}

# Ingress only from the application's security group, never from CIDR blocks,
# and no egress rules at all (the database initiates nothing).
resource "aws_security_group" "db" {
  name        = "${var.name}-db"
  description = "PostgreSQL from the application tier only"
  vpc_id      = var.vpc_id

  ingress {
    description     = "PostgreSQL from the app"
    from_port       = 5433
    to_port         = 5433
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}
