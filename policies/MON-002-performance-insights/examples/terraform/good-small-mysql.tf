# Performance Insights does not exist for MySQL and MariaDB on the smallest classes.
resource "aws_db_instance" "small_mysql" {
  identifier     = "tiny"
  engine         = "mysql"
  engine_version = "8.0.39"
  instance_class = "db.t3.micro"
}
