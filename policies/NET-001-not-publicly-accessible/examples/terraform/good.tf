variable "expose" {}

resource "aws_db_instance" "private" {
  identifier          = "private"
  engine              = "postgres"
  engine_version      = "16.3"
  publicly_accessible = false
}

# Absent: the provider default is false.
resource "aws_db_instance" "default" {
  identifier     = "default"
  engine         = "postgres"
  engine_version = "16.3"
}

# Not known before apply: never a finding.
resource "aws_rds_cluster_instance" "unknown" {
  identifier          = "unknown"
  cluster_identifier  = "shared-cluster"
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = var.expose
}
