data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  account-id = data.aws_caller_identity.current.account_id
  # Secrets Manager appends a random 6-character suffix to every secret ARN.
  secret-arns = [for id in var.secret-ids : "arn:${local.partition}:secretsmanager:${local.region}:${local.account-id}:secret:${id}-??????"]
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "permissions" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account-id}:log-group:${var.log-group-name}:*"]
  }

  statement {
    sid       = "ListApiPrefix"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${var.s3-bucket}"]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.s3-prefix}/*"]
    }
  }

  statement {
    sid       = "ReadWriteApiPrefix"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:${local.partition}:s3:::${var.s3-bucket}/${var.s3-prefix}/*"]
  }

  dynamic "statement" {
    for_each = length(local.secret-arns) > 0 ? [true] : []

    content {
      sid       = "ReadNamedSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.secret-arns
    }
  }

  dynamic "statement" {
    for_each = var.ses-sender-address == null ? [] : [true]

    content {
      sid       = "SendFromSenderOnly"
      actions   = ["ses:SendEmail", "ses:SendRawEmail"]
      resources = ["*"]

      condition {
        test     = "StringEquals"
        variable = "ses:FromAddress"
        values   = [var.ses-sender-address]
      }
    }
  }
}

resource "aws_iam_role" "lambda-role" {
  name                 = var.role-name
  description          = "Execution role of ${var.role-name}"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = var.permissions-boundary-arn
  tags                 = var.tags
}

resource "aws_iam_role_policy" "lambda-role" {
  name   = "least-privilege"
  role   = aws_iam_role.lambda-role.id
  policy = data.aws_iam_policy_document.permissions.json
}
