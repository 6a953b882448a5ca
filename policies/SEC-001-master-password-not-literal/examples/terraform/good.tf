data "aws_secretsmanager_secret_version" "db" {
  secret_id = "prod/db/master"
}

resource "random_password" "db" {
  length  = 32
  special = true
}

resource "aws_db_instance" "from_secrets_manager" {
  identifier     = "from-secrets-manager"
  engine         = "postgres"
  engine_version = "16.3"
  username       = "app_owner"
  password       = data.aws_secretsmanager_secret_version.db.secret_string
}

resource "aws_rds_cluster" "generated" {
  cluster_identifier = "generated"
  engine             = "aurora-postgresql"
  master_username    = "app_owner"
  master_password    = random_password.db.result
}
