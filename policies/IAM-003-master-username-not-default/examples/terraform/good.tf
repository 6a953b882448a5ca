resource "aws_db_instance" "custom" {
  identifier                  = "custom"
  engine                      = "postgres"
  engine_version              = "16.3"
  username                    = "orders_owner"
  manage_master_user_password = true
}
