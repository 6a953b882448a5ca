# The hardened twin of aurora-bad.
module "aurora" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 10.0"

  name                   = "orders"
  engine                 = "aurora-postgresql"
  engine_version         = "16.4"
  cluster_instance_class = "db.r6g.large"
  port                   = 5532
  master_username        = "orders_admin"
  cluster_ca_cert_identifier = "rds-ca-rsa2048-g1"
  instances = {
    one = {}
    two = {}
  }

  vpc_id               = "vpc-0123456789abcdef0"
  db_subnet_group_name = "private"
  security_group_ingress_rules = {
    app = { referenced_security_group_id = "sg-0123456789abcdef0" }
  }
  storage_encrypted                   = true
  kms_key_id                          = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  backup_retention_period             = 14
  deletion_protection                 = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  cluster_monitoring_interval         = 30
  cluster_performance_insights_enabled = true
  cluster_parameter_group = {
    family = "aurora-postgresql16"
    parameters = [
      { name = "rds.force_ssl", value = "1" },
      { name = "log_connections", value = "1" },
      { name = "log_disconnections", value = "1" },
      { name = "log_statement", value = "ddl" },
      { name = "shared_preload_libraries", value = "pgaudit", apply_method = "pending-reboot" },
      { name = "pgaudit.log", value = "ddl,role" },
    ]
  }
}
