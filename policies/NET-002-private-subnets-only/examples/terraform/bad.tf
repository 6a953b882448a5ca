resource "aws_internet_gateway" "main" {
  vpc_id = "vpc-0abc"
}

resource "aws_subnet" "public" {
  vpc_id     = "vpc-0abc"
  cidr_block = "10.0.1.0/24"
}

resource "aws_route_table" "public" {
  vpc_id = "vpc-0abc"

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_db_subnet_group" "db" {
  name       = "db"
  subnet_ids = [aws_subnet.public.id] # expect: NET-002@17
}

resource "aws_db_instance" "db" {
  engine               = "postgres"
  engine_version       = "16.3"
  db_subnet_group_name = aws_db_subnet_group.db.name
}
