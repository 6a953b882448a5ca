# MariaDB 10.11 is newer than 10.5, although 10.11 < 10.5 as a decimal number.
resource "aws_db_instance" "mariadb1011" {
  engine         = "mariadb"
  engine_version = "10.11.9"
  instance_class = "db.t3.medium"
}
