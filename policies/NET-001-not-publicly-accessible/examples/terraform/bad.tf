variable "expose" {
  default = true
}

resource "aws_db_instance" "public" {
  identifier          = "public"
  engine              = "postgres"
  engine_version      = "16.3"
  publicly_accessible = true # expect: NET-001@25
}

resource "aws_db_instance" "through_variable" {
  identifier          = "through-variable"
  engine              = "mysql"
  engine_version      = "8.0.35"
  publicly_accessible = var.expose # expect: NET-001@25
}

resource "aws_rds_cluster_instance" "member" {
  identifier          = "member"
  cluster_identifier  = "shared-cluster"
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = "true" # expect: NET-001@25
}
