# No egress blocks: Terraform removes EC2's default allow-all rule.
resource "aws_security_group" "db" {
  name = "db"
}

resource "aws_db_instance" "db" {
  engine                 = "postgres"
  engine_version         = "16.3"
  vpc_security_group_ids = [aws_security_group.db.id]
}
