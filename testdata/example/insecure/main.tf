# The orders database as it is often first written: every pitfall at once.

resource "aws_kms_key" "analytics" {
  description         = "analytics cluster storage"
  enable_key_rotation = false # expect: KMS-001
}

resource "aws_db_parameter_group" "orders" { # expect: LOG-002 LOG-003
  name   = "orders-postgres14"
  family = "postgres14"

  parameter {
    name  = "rds.force_ssl"
    value = "0" # expect: TLS-001
  }
}

resource "aws_db_instance" "orders" { # expect: IAM-001 BAK-003 BAK-006 MON-001 MON-002 NET-003 NET-007 TAG-001 BAK-007
  identifier                      = "orders"
  engine                          = "postgres"
  engine_version                  = "14.10"
  instance_class                  = "db.t3.medium"
  allocated_storage               = 50
  storage_encrypted               = false # expect: ENC-001
  username                        = "admin" # expect: IAM-003
  password                        = var.db_password # expect: SEC-001 SEC-002
  parameter_group_name            = aws_db_parameter_group.orders.name
  vpc_security_group_ids          = [aws_security_group.db.id]
  publicly_accessible             = true # expect: NET-001
  backup_retention_period         = var.backup_days # expect: BAK-001
  skip_final_snapshot             = true # expect: BAK-005
  enabled_cloudwatch_logs_exports = ["postgresql"] # expect: LOG-001
}

resource "aws_rds_cluster" "analytics" { # expect: IAM-002 BAK-004 LOG-004 NET-007 TAG-001 TLS-003
  cluster_identifier              = "analytics"
  engine                          = "aurora-mysql"
  engine_version                  = "8.0.mysql_aurora.3.05.2"
  master_username                 = "root" # expect: IAM-003
  master_password                 = "analytics-2024" # expect: SEC-001 SEC-002
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.analytics.arn
  vpc_security_group_ids          = [aws_security_group.analytics.id]
  backup_retention_period         = 3 # expect: BAK-002
  enabled_cloudwatch_logs_exports = ["audit", "error", "general", "slowquery"]
  skip_final_snapshot             = false
  final_snapshot_identifier       = "analytics-final"
}

resource "aws_rds_cluster_instance" "analytics" { # expect: MON-001 MON-002
  identifier          = "analytics-1"
  cluster_identifier  = aws_rds_cluster.analytics.id
  instance_class      = "db.r6g.large"
  engine              = "aurora-mysql"
  publicly_accessible = true # expect: NET-001
}

resource "aws_rds_cluster" "reports" { # expect: ENC-002 LOG-002 NET-007 TAG-001 TLS-003 LOG-003
  cluster_identifier                  = "reports"
  engine                              = "aurora-postgresql"
  engine_version                      = "15.4"
  master_username                     = "reports_owner"
  manage_master_user_password         = true
  iam_database_authentication_enabled = true
  deletion_protection                 = true
  backup_retention_period             = 14
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  vpc_security_group_ids              = [aws_security_group.analytics.id]
}

# Storage encryption comes from a variable without a default: unknown, so no ENC finding.
resource "aws_rds_cluster" "archive" { # expect: LOG-002 NET-007 TAG-001 TLS-003 LOG-003
  cluster_identifier                  = "archive"
  engine                              = "aurora-postgresql"
  engine_version                      = "15.4"
  master_username                     = "archive_owner"
  manage_master_user_password         = true
  storage_encrypted                   = var.encrypt_reports
  iam_database_authentication_enabled = true
  deletion_protection                 = true
  backup_retention_period             = 14
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  vpc_security_group_ids              = [aws_security_group.analytics.id]
}
