variable "expose" {}

# Not known before apply: never a finding.
resource "aws_rds_cluster_instance" "unknown" {
  identifier          = "unknown"
  cluster_identifier  = "shared-cluster"
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = var.expose
}
