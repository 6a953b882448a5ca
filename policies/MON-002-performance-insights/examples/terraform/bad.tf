resource "aws_db_instance" "explicit" {
  engine                       = "postgres"
  engine_version               = "16.3"
  instance_class               = "db.t3.medium"
  performance_insights_enabled = false # expect: MON-002@34
}

resource "aws_db_instance" "absent" { # expect: MON-002@1
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.medium"
}

# PostgreSQL on the same class has it.
resource "aws_db_instance" "small_postgres" { # expect: MON-002@1
  identifier     = "tiny-pg"
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.micro"
}

# Aurora members are instances too: each has its own Performance Insights setting.
resource "aws_rds_cluster" "analytics" {
  cluster_identifier = "analytics"
  engine             = "aurora-postgresql"
  storage_encrypted  = true
}

resource "aws_rds_cluster_instance" "analytics" { # expect: MON-002@1
  identifier         = "analytics-1"
  cluster_identifier = aws_rds_cluster.analytics.id
  engine             = "aurora-postgresql"
  instance_class     = "db.r6g.large"
}
