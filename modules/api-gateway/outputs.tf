output "api-id" {
  description = "ID of the HTTP API"
  value       = aws_apigatewayv2_api.api.id
}

output "api-endpoint" {
  description = "Default endpoint URL of the HTTP API (https://<id>.execute-api.<region>.amazonaws.com)"
  value       = aws_apigatewayv2_api.api.api_endpoint
}

output "execution-arn" {
  description = "Execution ARN of the HTTP API"
  value       = aws_apigatewayv2_api.api.execution_arn
}

output "access-log-group-name" {
  description = "Name of the access log group"
  value       = aws_cloudwatch_log_group.access-logs.name
}
