resource "aws_subnet" "private" {
  vpc_id     = "vpc-0abc"
  cidr_block = "10.0.2.0/24"
}

resource "aws_route_table" "private" {
  vpc_id = "vpc-0abc"

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = "nat-0abc"
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_db_subnet_group" "db" {
  name       = "db"
  subnet_ids = [aws_subnet.private.id]
}

resource "aws_db_instance" "db" {
  engine               = "postgres"
  engine_version       = "16.3"
  db_subnet_group_name = aws_db_subnet_group.db.name
}
