module "db" {
  source  = "acme-corp/database/aws"
  version = "~> 2.1"
  name    = "orders"
  storage_encrypted = false
}
