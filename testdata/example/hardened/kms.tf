# Customer managed key: key policy and rotation under our control, every use audited.
resource "aws_kms_key" "db" {
  description             = "CMK for ${var.name} database storage, backups and Performance Insights"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}
