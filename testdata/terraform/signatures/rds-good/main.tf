# The hardened twin: every value the policies read is set, in the caller's own words.
module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 7.0"

  identifier        = "orders"
  engine            = "postgres"
  engine_version    = "16.3"
  family            = "postgres16"
  instance_class    = "db.r6g.large"
  allocated_storage = 50
  port              = 5532
  ca_cert_identifier = "rds-ca-rsa2048-g1"

  username                            = "orders_admin"
  kms_key_id                          = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  iam_database_authentication_enabled = true
  multi_az                            = true
  deletion_protection                 = true
  backup_retention_period             = 14
  monitoring_interval                 = 30
  create_monitoring_role              = true
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  create_db_subnet_group              = true
  subnet_ids                          = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  vpc_security_group_ids              = ["sg-0123456789abcdef0"]
  parameters = [
    { name = "rds.force_ssl", value = "1" },
    { name = "log_connections", value = "1" },
    { name = "log_disconnections", value = "1" },
    { name = "log_statement", value = "ddl" },
    { name = "shared_preload_libraries", value = "pgaudit", apply_method = "pending-reboot" },
    { name = "pgaudit.log", value = "ddl,role" },
  ]
}

resource "aws_db_instance_automated_backups_replication" "orders" {
  source_db_instance_arn = module.db.db_instance_arn
  kms_key_id             = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
