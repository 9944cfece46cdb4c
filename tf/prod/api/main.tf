locals {
  stage = "prod"
  name  = "depoxy-${local.stage}-api"
  tags = {
    "project"      = "depoxy"
    "depoxy:stage" = local.stage
    "depoxy:stack" = "api"
    "managed-by"   = "terraform"
  }
  log-group-name = "/aws/lambda/${local.name}-function"
  environment = {
    DEPOXY_API_COOKIE_MAX_AGE_DAYS = "1"
    DEPOXY_API_COOKIE_SECURITY     = "true"
    DEPOXY_API_CORS_ALLOW_ORIGIN   = "https://app.depoxy.dev"
    DEPOXY_API_HONEYCOMB_SECRET_ID = "prod/depoxy/api/honeycomb"
    DEPOXY_API_JWT_ALGORITHM       = "ES256"
    DEPOXY_API_JWT_AUDIENCE        = "DepoxyProd"
    DEPOXY_API_JWT_SECRET_ID       = "prod/depoxy/api"
    DEPOXY_API_S3_BUCKET           = "depoxy-${local.stage}-data"
    DEPOXY_API_S3_PREFIX           = "api"
    DEPOXY_API_SES_SENDER_ADDRESS  = "login@send.depoxy.dev"
    DEPOXY_API_STAGE               = local.stage
    DEPOXY_API_VERSION             = var.lambda-function-version
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_acm_certificate" "api" {
  count    = length(var.domain-aliases) > 0 ? 1 : 0
  provider = aws.us_east_1
  domain   = var.domain-aliases[0]
  statuses = ["ISSUED"]
}

# The API's persistence layer. Records that must lapse (pending logins, rate-limit windows) live under
# <prefix>/expiring/, which S3 itself empties after a day.
resource "aws_s3_bucket" "data" {
  bucket = local.environment.DEPOXY_API_S3_BUCKET
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    id     = "expire-short-lived-records"
    status = "Enabled"

    filter {
      prefix = "${local.environment.DEPOXY_API_S3_PREFIX}/expiring/"
    }

    expiration {
      days = 1
    }
  }
}

module "lambda-role" {
  source                   = "s3::https://s3-eu-west-1.amazonaws.com/depoxy-terraform-modules/modules/lambda-role/0.2.0/lambda-role.zip"
  role-name                = "${local.name}-lambda"
  log-group-name           = local.log-group-name
  s3-bucket                = aws_s3_bucket.data.bucket
  s3-prefix                = local.environment.DEPOXY_API_S3_PREFIX
  secret-ids               = [local.environment.DEPOXY_API_JWT_SECRET_ID, local.environment.DEPOXY_API_HONEYCOMB_SECRET_ID]
  ses-sender-address       = local.environment.DEPOXY_API_SES_SENDER_ADDRESS
  permissions-boundary-arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:policy/depoxy-${local.stage}-boundary"
  tags                     = local.tags
}

module "lambda-function" {
  source             = "s3::https://s3-eu-west-1.amazonaws.com/depoxy-terraform-modules/modules/lambda/0.2.0/lambda.zip"
  role-arn           = module.lambda-role.role-arn
  s3-bucket          = var.lambda-function-s3-bucket-name
  s3-key             = "api/${var.lambda-function-version}/api.zip"
  source-code-hash   = var.lambda-function-source-code-hash
  function-name      = local.name
  runtime            = "provided.al2023"
  architecture       = "x86_64"
  handler            = "bootstrap"
  memory-size        = 1024
  timeout            = 10
  layers             = var.lambda-layers
  log-retention-days = 90
  tags               = local.tags

  environment-variables = merge(local.environment, {
    AWS_LAMBDA_EXEC_WRAPPER      = "/opt/bootstrap"
    AWS_LWA_PORT                 = "8080"
    AWS_LWA_READINESS_CHECK_PATH = "/api/v1/health"
  })
}

module "api-gateway" {
  source                  = "s3::https://s3-eu-west-1.amazonaws.com/depoxy-terraform-modules/modules/api-gateway/0.2.0/api-gateway.zip"
  api-name                = local.name
  lambda-function-name    = module.lambda-function.function-name
  lambda-alias-name       = module.lambda-function.alias-name
  lambda-alias-invoke-arn = module.lambda-function.alias-invoke-arn
  cors-allow-origins      = [local.environment.DEPOXY_API_CORS_ALLOW_ORIGIN]
  throttling-burst-limit  = 500
  throttling-rate-limit   = 250
  tags                    = local.tags
}

module "cloudfront-api" {
  source          = "s3::https://s3-eu-west-1.amazonaws.com/depoxy-terraform-modules/modules/cloudfront-api/0.2.0/cloudfront-api.zip"
  api-endpoint    = module.api-gateway.api-endpoint
  aliases         = var.domain-aliases
  certificate-arn = length(var.domain-aliases) > 0 ? data.aws_acm_certificate.api[0].arn : null
  comment         = local.name
  tags            = local.tags
}
