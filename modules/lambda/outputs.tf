output "function-name" {
  description = "Name of the function"
  value       = aws_lambda_function.lambda-function.function_name
}

output "function-arn" {
  description = "Unqualified ARN of the function"
  value       = aws_lambda_function.lambda-function.arn
}

output "function-version" {
  description = "Latest published version"
  value       = aws_lambda_function.lambda-function.version
}

output "code-sha256" {
  description = "SHA-256 of the deployed package as Lambda reports it"
  value       = aws_lambda_function.lambda-function.code_sha256
}

output "alias-name" {
  description = "Name of the alias serving traffic (live)"
  value       = aws_lambda_alias.live.name
}

output "alias-arn" {
  description = "ARN of the live alias"
  value       = aws_lambda_alias.live.arn
}

output "alias-invoke-arn" {
  description = "Invoke ARN of the live alias, for API Gateway integrations"
  value       = aws_lambda_alias.live.invoke_arn
}

output "log-group-name" {
  description = "Name of the function's log group"
  value       = aws_cloudwatch_log_group.lambda-function.name
}

output "log-group-arn" {
  description = "ARN of the function's log group"
  value       = aws_cloudwatch_log_group.lambda-function.arn
}
