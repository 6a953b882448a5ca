# The default is TLSv1.2.
resource "aws_db_instance" "defaults" {
  engine         = "postgres"
  engine_version = "16.3"
}

resource "aws_db_parameter_group" "modern" {
  name   = "modern"
  family = "postgres16"

  parameter {
    name  = "ssl_min_protocol_version"
    value = "TLSv1.3"
  }
}

resource "aws_db_instance" "modern" {
  engine               = "postgres"
  engine_version       = "16.3"
  parameter_group_name = aws_db_parameter_group.modern.name
}
