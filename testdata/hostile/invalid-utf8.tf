resource "aws_db_instance" "x" {
  engine = "ÿþ"
}
