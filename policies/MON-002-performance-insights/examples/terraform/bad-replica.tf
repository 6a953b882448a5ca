# A replica of a database in another account or Region: its engine comes from the source
# and is not known here, but no engine lacks Performance Insights on db.r6g.large.
variable "source_db_arn" {
  type = string
}

resource "aws_db_instance" "replica" {
  replicate_source_db          = var.source_db_arn
  instance_class               = "db.r6g.large"
  performance_insights_enabled = false # expect: MON-002@34
}
