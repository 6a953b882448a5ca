variable "name" {
  description = "Service name used in identifiers."
  type        = string
  default     = "orders"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d"
}

variable "private_subnet_ids" {
  description = "Subnets with no route to an internet gateway."
  type        = list(string)
  default     = ["subnet-0aa11bb22", "subnet-0cc33dd44"]
}
