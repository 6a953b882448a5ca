output "db_instance_arn" {
  description = "The ARN of the instance."
  value       = module.instance.arn
}
