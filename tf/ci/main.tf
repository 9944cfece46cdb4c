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
  # Objects that never change once written, per bucket: a published module version, and a release's API package,
  # site zips and manifest. The stage's ledger (releases/<stage>/history/*, current.json), stage.json and lock.json
  # live under releases/<stage>/ and stay writable.
  immutable-keys = merge(
    { state = [], modules = ["modules/*"] },
    { for stage in local.stages : "artifacts-${stage}" => ["api/*", "sites/*", "releases/*/manifest.json"] },
  )
  # Every role trusts exactly one subject of the repository's customised template (include_claim_keys
  # ["repo", "context", "ref"], see tf/README.md): pull requests, the default branch outside any environment
  # (push, schedule, workflow_dispatch), and each stage's environment on the default branch only.
  default-ref = "refs/heads/${var.default-branch}"
  subjects = {
    plan  = "pull_request:ref:refs/pull/*/merge"
    drift = "ref:${local.default-ref}:ref:${local.default-ref}"
    apply = { for stage in local.stages : stage => "environment:${stage}:ref:${local.default-ref}" }
  }
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

  # Published bytes never change: a write must be a conditional create (If-None-Match: *), whoever sends it.
  dynamic "statement" {
    for_each = length(local.immutable-keys[each.key]) > 0 ? [true] : []

    content {
      sid       = "DenyOverwritingReleaseObjects"
      effect    = "Deny"
      actions   = ["s3:PutObject"]
      resources = [for key in local.immutable-keys[each.key] : "${each.value.arn}/${key}"]

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

  # With versioning a delete only hides the bytes, and would free the key for other bytes under the same name: only
  # an administrator who first changes this policy can remove a release.
  dynamic "statement" {
    for_each = length(local.immutable-keys[each.key]) > 0 ? [true] : []

    content {
      sid       = "DenyDeletingReleaseObjects"
      effect    = "Deny"
      actions   = ["s3:DeleteObject", "s3:DeleteObjectVersion"]
      resources = [for key in local.immutable-keys[each.key] : "${each.value.arn}/${key}"]

      principals {
        type        = "*"
        identifiers = ["*"]
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

# The stages' API Gateway access logs are delivered by CloudWatch Logs; with this policy in place the apply roles
# need only logs:CreateLogDelivery, not the account-wide logs:PutResourcePolicy.
data "aws_iam_policy_document" "access-log-delivery" {
  statement {
    sid       = "DeliverStageAccessLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for stage in local.stages : "arn:${local.partition}:logs:${var.region}:${local.account-id}:log-group:/aws/apigateway/depoxy-${stage}-*:log-stream:*"]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account-id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:logs:${var.region}:${local.account-id}:*"]
    }
  }
}

resource "aws_cloudwatch_log_resource_policy" "access-log-delivery" {
  policy_name     = "depoxy-access-log-delivery"
  policy_document = data.aws_iam_policy_document.access-log-delivery.json
}

module "plan-role" {
  source            = "../../modules/github-oidc-role"
  for_each          = local.stages
  role-name         = "github-depoxy-${each.key}-plan"
  oidc-provider-arn = aws_iam_openid_connect_provider.github.arn
  repository        = var.github-repository
  subject           = local.subjects.plan
  policy-json       = data.aws_iam_policy_document.plan-only[each.key].json
}

# Jobs on the default branch outside an environment: the weekly drift plan and the plan jobs of deploy-dev and
# promote-prod. Read-only, like the pull-request plan role.
module "drift-role" {
  source            = "../../modules/github-oidc-role"
  for_each          = local.stages
  role-name         = "github-depoxy-${each.key}-drift"
  oidc-provider-arn = aws_iam_openid_connect_provider.github.arn
  repository        = var.github-repository
  subject           = local.subjects.drift
  policy-json       = data.aws_iam_policy_document.plan-only[each.key].json
}

module "apply-role" {
  source            = "../../modules/github-oidc-role"
  for_each          = local.stages
  role-name         = "github-depoxy-${each.key}-apply"
  oidc-provider-arn = aws_iam_openid_connect_provider.github.arn
  repository        = var.github-repository
  subject           = local.subjects.apply[each.key]
  policy-json       = data.aws_iam_policy_document.apply[each.key].json
}
