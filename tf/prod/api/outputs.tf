output "function_name" {
  description = "Name of the API function; the build publishes versions of it"
  value       = module.lambda-function.function-name
}

output "alias_name" {
  description = "Alias serving traffic; the build moves it to a new version after the smoke test"
  value       = module.lambda-function.alias-name
}

output "code_sha256" {
  description = "SHA-256 of the deployed package as Lambda reports it"
  value       = module.lambda-function.code-sha256
}

output "api_endpoint" {
  description = "Default endpoint of the HTTP API"
  value       = module.api-gateway.api-endpoint
}

output "distribution_id" {
  description = "ID of the API distribution"
  value       = module.cloudfront-api.distribution-id
}

output "public_url" {
  description = "https URL the API is served on"
  value       = module.cloudfront-api.public-url
}
