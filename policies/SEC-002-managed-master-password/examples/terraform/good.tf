resource "aws_db_instance" "managed" {
  engine                      = "postgres"
  engine_version              = "16.3"
  username                    = "orders_owner"
  manage_master_user_password = true
}
