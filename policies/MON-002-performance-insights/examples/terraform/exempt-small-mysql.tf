# Performance Insights does not exist for MySQL and MariaDB on the smallest classes.
resource "aws_db_instance" "small_mysql" {
  identifier     = "tiny"
  engine         = "mysql"
  engine_version = "8.0.39"
  instance_class = "db.t3.micro"
}

# Nor for Aurora MySQL members on db.t3 classes.
resource "aws_rds_cluster" "aurora_mysql" {
  cluster_identifier = "small"
  engine             = "aurora-mysql"
  storage_encrypted  = true
}

resource "aws_rds_cluster_instance" "aurora_mysql" {
  identifier         = "small-1"
  cluster_identifier = aws_rds_cluster.aurora_mysql.id
  engine             = "aurora-mysql"
  instance_class     = "db.t3.medium"
}
