resource "aws_db_instance" "customer_key" {
  engine                          = "postgres"
  engine_version                  = "16.3"
  instance_class                  = "db.t3.medium"
  performance_insights_enabled    = true
  performance_insights_kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd"
}

# Performance Insights off: nothing to encrypt.
resource "aws_db_instance" "insights_off" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}
