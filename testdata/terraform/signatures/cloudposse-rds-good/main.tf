# The hardened twin of cloudposse-rds-bad. The module always lets its security group send
# anywhere, which only a suppression on the module block can accept.
# rampart:ignore NET-008 reason="egress is filtered by the VPC's network ACLs"
module "rds" {
  source  = "cloudposse/rds/aws"
  version = "1.3.0"

  namespace            = "eg"
  stage                = "prod"
  name                 = "orders"
  database_name        = "orders"
  database_user        = "orders_admin"
  database_port        = 5532
  ca_cert_identifier   = "rds-ca-rsa2048-g1"
  database_manage_master_user_password = true
  engine               = "postgres"
  engine_version       = "16.3"
  major_engine_version = "16"
  db_parameter_group   = "postgres16"
  db_parameter = [
    { name = "rds.force_ssl", value = "1", apply_method = "immediate" },
    { name = "log_connections", value = "1", apply_method = "immediate" },
    { name = "log_disconnections", value = "1", apply_method = "immediate" },
    { name = "log_statement", value = "ddl", apply_method = "immediate" },
    { name = "shared_preload_libraries", value = "pgaudit", apply_method = "pending-reboot" },
    { name = "pgaudit.log", value = "ddl,role", apply_method = "immediate" },
  ]
  instance_class                        = "db.r6g.large"
  allocated_storage                     = 50
  storage_encrypted                     = true
  kms_key_arn                           = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  multi_az                              = true
  deletion_protection                   = true
  backup_retention_period               = 14
  skip_final_snapshot                   = false
  iam_database_authentication_enabled   = true
  monitoring_interval                   = 30
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]
  vpc_id                                = "vpc-0123456789abcdef0"
  subnet_ids                            = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  security_group_ids                    = ["sg-0123456789abcdef0"]
}

resource "aws_db_instance_automated_backups_replication" "orders" {
  source_db_instance_arn = module.rds.instance_arn
  kms_key_id             = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
