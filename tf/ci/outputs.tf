output "plan_role_arn_dev" {
  description = "Role for planning dev (assumed by pull requests)"
  value       = module.plan-role["dev"].role-arn
}

output "apply_role_arn_dev" {
  description = "Role for applying dev (assumed by jobs in the dev environment)"
  value       = module.apply-role["dev"].role-arn
}

output "plan_role_arn_prod" {
  description = "Role for planning prod (assumed by pull requests)"
  value       = module.plan-role["prod"].role-arn
}

output "apply_role_arn_prod" {
  description = "Role for applying prod (assumed by jobs in the prod environment)"
  value       = module.apply-role["prod"].role-arn
}

output "state_bucket_name" {
  description = "Bucket of the Terraform state"
  value       = aws_s3_bucket.bucket["state"].bucket
}

output "modules_bucket_name" {
  description = "Bucket of the published modules"
  value       = aws_s3_bucket.bucket["modules"].bucket
}

output "artifacts_bucket_name_dev" {
  description = "Artifacts bucket of dev"
  value       = aws_s3_bucket.bucket["artifacts-dev"].bucket
}

output "artifacts_bucket_name_prod" {
  description = "Artifacts bucket of prod"
  value       = aws_s3_bucket.bucket["artifacts-prod"].bucket
}

output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider"
  value       = aws_iam_openid_connect_provider.github.arn
}

output "permissions_boundary_arn_dev" {
  description = "Boundary every role created by the dev apply role carries"
  value       = aws_iam_policy.boundary["dev"].arn
}

output "permissions_boundary_arn_prod" {
  description = "Boundary every role created by the prod apply role carries"
  value       = aws_iam_policy.boundary["prod"].arn
}

output "drift_role_arn_dev" {
  description = "Role the weekly drift plan of dev assumes (GitHub secret AWS_DRIFT_ROLE_ARN_DEV)"
  value       = module.drift-role["dev"].role-arn
}

output "drift_role_arn_prod" {
  description = "Role the weekly drift plan of prod assumes (GitHub secret AWS_DRIFT_ROLE_ARN_PROD)"
  value       = module.drift-role["prod"].role-arn
}
