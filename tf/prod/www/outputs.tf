output "bucket_name" {
  description = "Site bucket the build syncs the files to"
  value       = module.site.bucket-name
}

output "distribution_id" {
  description = "ID of the site distribution, for invalidations"
  value       = module.site.distribution-id
}

output "public_url" {
  description = "https URL the site is served on"
  value       = module.site.public-url
}
