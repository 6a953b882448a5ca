# Restored from a snapshot without a key of its own: the storage keeps the snapshot's key,
# which is not in the source.
resource "aws_rds_cluster" "restored" {
  engine              = "aurora-postgresql"
  engine_version      = "16.4"
  snapshot_identifier = "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:orders-2026-11-30"
  storage_encrypted   = true
}
