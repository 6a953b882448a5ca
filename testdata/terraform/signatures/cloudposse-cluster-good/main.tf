# The hardened twin of cloudposse-cluster-bad.
module "cluster" {
  source  = "cloudposse/rds-cluster/aws"
  version = "~> 2.0"

  namespace                           = "eg"
  stage                               = "prod"
  name                                = "orders"
  engine                              = "aurora-postgresql"
  cluster_family                      = "aurora-postgresql16"
  cluster_size                        = 2
  admin_user                          = "orders_admin"
  manage_admin_user_password          = true
  db_name                             = "orders"
  db_port                             = 5532
  engine_version                      = "16.4"
  ca_cert_identifier                  = "rds-ca-rsa2048-g1"
  instance_type                       = "db.r6g.large"
  vpc_id                              = "vpc-0123456789abcdef0"
  subnets                             = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  security_groups                     = ["sg-0123456789abcdef0"]
  egress_enabled                      = false
  storage_encrypted                   = true
  kms_key_arn                         = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  retention_period                    = 14
  deletion_protection                 = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  rds_monitoring_interval             = 30
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  cluster_parameters = [
    { name = "rds.force_ssl", value = "1", apply_method = "immediate" },
    { name = "log_connections", value = "1", apply_method = "immediate" },
    { name = "log_disconnections", value = "1", apply_method = "immediate" },
    { name = "log_statement", value = "ddl", apply_method = "immediate" },
    { name = "shared_preload_libraries", value = "pgaudit", apply_method = "pending-reboot" },
    { name = "pgaudit.log", value = "ddl,role", apply_method = "immediate" },
  ]
}
