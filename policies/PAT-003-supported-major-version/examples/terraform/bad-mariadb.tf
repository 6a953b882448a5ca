# MariaDB 10.4 left RDS standard support; majors are compared as MariaDB orders them.
resource "aws_db_instance" "mariadb104" {
  engine         = "mariadb"
  engine_version = "10.4.34" # expect: PAT-003@20
  instance_class = "db.t3.medium"
}
