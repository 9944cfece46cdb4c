output "bucket-name" {
  description = "Name of the site bucket the build syncs to"
  value       = aws_s3_bucket.site.bucket
}

output "bucket-arn" {
  description = "ARN of the site bucket"
  value       = aws_s3_bucket.site.arn
}

output "distribution-id" {
  description = "ID of the distribution (for invalidations)"
  value       = aws_cloudfront_distribution.site.id
}

output "distribution-arn" {
  description = "ARN of the distribution"
  value       = aws_cloudfront_distribution.site.arn
}

output "domain-name" {
  description = "cloudfront.net domain name of the distribution"
  value       = aws_cloudfront_distribution.site.domain_name
}

output "public-url" {
  description = "https URL the site is served on: the first alias, else the cloudfront.net domain"
  value       = "https://${length(var.aliases) > 0 ? var.aliases[0] : aws_cloudfront_distribution.site.domain_name}"
}
