locals {
  stage = "dev"
  name  = "depoxy-${local.stage}-app"
  tags = {
    "project"      = "depoxy"
    "depoxy:stage" = local.stage
    "depoxy:stack" = "app"
    "managed-by"   = "terraform"
  }
}

data "aws_acm_certificate" "site" {
  count    = length(var.domain-aliases) > 0 ? 1 : 0
  provider = aws.us_east_1
  domain   = var.domain-aliases[0]
  statuses = ["ISSUED"]
}

# The JavaScript PWA; its files are synced to the bucket by the build, not by Terraform.
module "site" {
  source          = "s3::https://s3-eu-west-1.amazonaws.com/depoxy-terraform-modules/modules/s3-site/0.2.0/s3-site.zip"
  bucket-name     = local.name
  spa-routing     = true
  aliases         = var.domain-aliases
  certificate-arn = length(var.domain-aliases) > 0 ? data.aws_acm_certificate.site[0].arn : null
  comment         = local.name
  force-destroy   = true
  tags            = local.tags
}
