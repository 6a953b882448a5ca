# Absent: AWS assigns its current default CA.
resource "aws_db_instance" "aws_default" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}
