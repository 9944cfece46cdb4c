output "function-name" {
  description = "Name of the function"
  value       = aws_lambda_function.lambda-function.function_name
}
