# A major version no signature covers, and a module no signature knows: both are reported
# as not analysed, never passed in silence.
module "old" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 5.0"
}

module "unknown" {
  source  = "acme-corp/database/aws"
  version = "1.0.0"
}
