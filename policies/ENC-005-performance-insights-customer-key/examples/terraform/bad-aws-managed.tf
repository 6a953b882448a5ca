# Naming the AWS-managed key is no customer key.
resource "aws_db_instance" "insights" {
  engine                          = "postgres"
  engine_version                  = "16.3"
  instance_class                  = "db.r6g.large"
  performance_insights_enabled    = true
  performance_insights_kms_key_id = "arn:aws:kms:eu-west-1:123456789012:alias/aws/rds" # expect: ENC-005@37
}
