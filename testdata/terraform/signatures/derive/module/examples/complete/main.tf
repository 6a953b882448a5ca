# Examples are not part of a signature.
module "db" {
  source = "../../"
  name   = "example"
}
