resource "aws_db_instance" "managed" {
  identifier                  = "managed"
  engine                      = "postgres"
  engine_version              = "16.3"
  username                    = "app_owner"
  manage_master_user_password = true
}
