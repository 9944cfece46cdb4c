output "distribution-id" {
  description = "ID of the distribution"
  value       = aws_cloudfront_distribution.api.id
}

output "distribution-arn" {
  description = "ARN of the distribution"
  value       = aws_cloudfront_distribution.api.arn
}

output "domain-name" {
  description = "cloudfront.net domain name of the distribution"
  value       = aws_cloudfront_distribution.api.domain_name
}

output "public-url" {
  description = "https URL the API is served on: the first alias, else the cloudfront.net domain"
  value       = "https://${length(var.aliases) > 0 ? var.aliases[0] : aws_cloudfront_distribution.api.domain_name}"
}
