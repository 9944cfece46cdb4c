data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  stages     = toset(["dev", "prod"])
  account-id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  buckets = merge(
    { state = var.state-bucket-name, modules = var.modules-bucket-name },
    { for stage, name in var.artifacts-bucket-names : "artifacts-${stage}" => name },
  )
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_s3_bucket" "bucket" {
  for_each = local.buckets
  bucket   = each.value
}

resource "aws_s3_bucket_ownership_controls" "bucket" {
  for_each = aws_s3_bucket.bucket
  bucket   = each.value.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "bucket" {
  for_each                = aws_s3_bucket.bucket
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "bucket" {
  for_each = aws_s3_bucket.bucket
  bucket   = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Versioning keeps every state revision and lets a deleted module or artifact be recovered.
resource "aws_s3_bucket_versioning" "bucket" {
  for_each = aws_s3_bucket.bucket
  bucket   = each.value.id

  versioning_configuration {
    status = "Enabled"
  }
}

data "aws_iam_policy_document" "bucket" {
  for_each = aws_s3_bucket.bucket

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [each.value.arn, "${each.value.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # A published module version never changes: a write must be a conditional create (If-None-Match: *).
  dynamic "statement" {
    for_each = each.key == "modules" ? [true] : []

    content {
      sid       = "DenyOverwritingModuleVersions"
      effect    = "Deny"
      actions   = ["s3:PutObject"]
      resources = ["${each.value.arn}/modules/*"]

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      condition {
        test     = "Null"
        variable = "s3:if-none-match"
        values   = ["true"]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "bucket" {
  for_each = aws_s3_bucket.bucket
  bucket   = each.value.id
  policy   = data.aws_iam_policy_document.bucket[each.key].json

  depends_on = [aws_s3_bucket_public_access_block.bucket]
}

module "plan-role" {
  source            = "../../modules/github-oidc-role"
  for_each          = local.stages
  role-name         = "github-depoxy-${each.key}-plan"
  oidc-provider-arn = aws_iam_openid_connect_provider.github.arn
  repository        = var.github-repository
  subject           = var.plan-subjects[each.key]
  policy-json       = data.aws_iam_policy_document.plan[each.key].json
}

# Scheduled drift plans run on main, whose OIDC subject is ref:refs/heads/main: a role of their own keeps every role at one sub.
module "drift-role" {
  source            = "../../modules/github-oidc-role"
  for_each          = local.stages
  role-name         = "github-depoxy-${each.key}-drift"
  oidc-provider-arn = aws_iam_openid_connect_provider.github.arn
  repository        = var.github-repository
  subject           = "ref:refs/heads/${var.default-branch}"
  policy-json       = data.aws_iam_policy_document.plan[each.key].json
}

module "apply-role" {
  source            = "../../modules/github-oidc-role"
  for_each          = local.stages
  role-name         = "github-depoxy-${each.key}-apply"
  oidc-provider-arn = aws_iam_openid_connect_provider.github.arn
  repository        = var.github-repository
  subject           = "environment:${each.key}"
  policy-json       = data.aws_iam_policy_document.apply[each.key].json
}
