output "role-arn" {
  description = "ARN of the role, for aws-actions/configure-aws-credentials"
  value       = aws_iam_role.role.arn
}

output "role-name" {
  description = "Name of the role"
  value       = aws_iam_role.role.name
}
