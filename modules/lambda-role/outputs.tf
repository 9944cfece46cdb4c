output "role-arn" {
  description = "ARN of the execution role"
  value       = aws_iam_role.lambda-role.arn
}

output "role-name" {
  description = "Name of the execution role"
  value       = aws_iam_role.lambda-role.name
}
