# Every stage resource is named depoxy-<stage>-* (functions, roles, log groups, site buckets, CloudFront functions)
# or, where AWS assigns ids (HTTP APIs, distributions), tagged depoxy:stage = <stage> by the stacks' default_tags.
# The policies below grant by that name prefix or tag, so a stage's roles only reach that stage.
locals {
  region = var.region
  other-stage = {
    dev  = "prod"
    prod = "dev"
  }
  state-arn           = aws_s3_bucket.bucket["state"].arn
  modules-arn         = aws_s3_bucket.bucket["modules"].arn
  artifacts-arn       = { for stage in local.stages : stage => aws_s3_bucket.bucket["artifacts-${stage}"].arn }
  boundary-arn        = { for stage in local.stages : stage => "arn:${local.partition}:iam::${local.account-id}:policy/depoxy-${stage}-boundary" }
  function-arns       = { for stage in local.stages : stage => ["arn:${local.partition}:lambda:${local.region}:${local.account-id}:function:depoxy-${stage}-*"] }
  role-arns           = { for stage in local.stages : stage => "arn:${local.partition}:iam::${local.account-id}:role/depoxy-${stage}-*" }
  site-bucket-arns    = { for stage in local.stages : stage => ["arn:${local.partition}:s3:::depoxy-${stage}-*", "arn:${local.partition}:s3:::depoxy-${stage}-*/*"] }
  log-group-arns      = { for stage in local.stages : stage => ["arn:${local.partition}:logs:${local.region}:${local.account-id}:log-group:/aws/lambda/depoxy-${stage}-*", "arn:${local.partition}:logs:${local.region}:${local.account-id}:log-group:/aws/apigateway/depoxy-${stage}-*"] }
  distribution-arns   = "arn:${local.partition}:cloudfront::${local.account-id}:distribution/*"
  cf-function-arns    = { for stage in local.stages : stage => "arn:${local.partition}:cloudfront::${local.account-id}:function/depoxy-${stage}-*" }
  http-api-collection = "arn:${local.partition}:apigateway:${local.region}::/apis"
  layer-arns          = [for account in var.lambda-layer-account-ids : "arn:${local.partition}:lambda:${local.region}:${account}:layer:*"]
}

# The most any function role of a stage can do; the apply role may only create roles carrying this boundary,
# so a role it creates cannot exceed the stage either.
data "aws_iam_policy_document" "boundary" {
  for_each = local.stages

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account-id}:log-group:/aws/lambda/depoxy-${each.key}-*:*"]
  }

  statement {
    sid       = "StageDataBucket"
    actions   = ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:${local.partition}:s3:::${var.data-bucket-names[each.key]}", "arn:${local.partition}:s3:::${var.data-bucket-names[each.key]}/*"]
  }

  statement {
    sid       = "StageSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:${local.partition}:secretsmanager:${local.region}:${local.account-id}:secret:${each.key}/*"]
  }

  statement {
    sid       = "SendEmail"
    actions   = ["ses:SendEmail", "ses:SendRawEmail"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "boundary" {
  for_each    = local.stages
  name        = "depoxy-${each.key}-boundary"
  description = "Permissions boundary of every role the ${each.key} deploy role creates"
  policy      = data.aws_iam_policy_document.boundary[each.key].json
}

# Plan: read the stage's state, take its lock, read modules and the stage's artifacts, describe the stage's resources.
data "aws_iam_policy_document" "plan" {
  for_each                = local.stages
  source_policy_documents = [data.aws_iam_policy_document.other-artifacts[each.key].json]

  statement {
    sid       = "ListStageState"
    actions   = ["s3:ListBucket"]
    resources = [local.state-arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${each.key}/*"]
    }
  }

  statement {
    sid       = "ReadStageState"
    actions   = ["s3:GetObject"]
    resources = ["${local.state-arn}/${each.key}/*"]
  }

  statement {
    sid       = "StageStateLock"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.state-arn}/${each.key}/*/terraform.tfstate.tflock"]
  }

  statement {
    sid       = "ReadModules"
    actions   = ["s3:ListBucket", "s3:GetObject"]
    resources = [local.modules-arn, "${local.modules-arn}/modules/*"]
  }

  statement {
    sid       = "ReadStageArtifacts"
    actions   = ["s3:ListBucket", "s3:GetObject"]
    resources = [local.artifacts-arn[each.key], "${local.artifacts-arn[each.key]}/*"]
  }

  statement {
    sid       = "DescribeStageFunctions"
    actions   = ["lambda:Get*", "lambda:List*"]
    resources = concat(local.function-arns[each.key], [for arn in local.function-arns[each.key] : "${arn}:*"])
  }

  statement {
    sid       = "DescribeStageRoles"
    actions   = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags"]
    resources = [local.role-arns[each.key]]
  }

  statement {
    sid       = "DescribeStageBuckets"
    actions   = ["s3:ListBucket", "s3:GetBucket*", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:GetAccelerateConfiguration"]
    resources = local.site-bucket-arns[each.key]
  }

  statement {
    sid       = "DescribeStageLogGroups"
    actions   = ["logs:ListTagsForResource", "logs:ListTagsLogGroup"]
    resources = concat(local.log-group-arns[each.key], [for arn in local.log-group-arns[each.key] : "${arn}:*"])
  }

  statement {
    sid       = "DescribeStageCloudFrontFunctions"
    actions   = ["cloudfront:DescribeFunction", "cloudfront:GetFunction"]
    resources = [local.cf-function-arns[each.key]]
  }

  # Ids, not names: these are configuration metadata only (no data, state or code); writes are tag-scoped below.
  statement {
    sid = "DescribeById"
    actions = [
      "apigateway:GET",
      "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:ListTagsForResource",
      "cloudfront:GetOriginAccessControl", "cloudfront:GetCachePolicy", "cloudfront:GetOriginRequestPolicy",
      "cloudfront:GetResponseHeadersPolicy", "cloudfront:ListDistributions",
      "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:ListLogDeliveries", "logs:GetLogDelivery",
      "acm:ListCertificates", "acm:DescribeCertificate", "acm:ListTagsForCertificate",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "UseLayers"
    actions   = ["lambda:GetLayerVersion"]
    resources = local.layer-arns
  }

  statement {
    sid       = "DenyResourcesTaggedForOtherStage"
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/depoxy:stage"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:ResourceTag/depoxy:stage"
      values   = [each.key]
    }
  }

  statement {
    sid     = "DenyOtherStageByName"
    effect  = "Deny"
    actions = ["*"]
    resources = concat(
      local.function-arns[local.other-stage[each.key]],
      local.site-bucket-arns[local.other-stage[each.key]],
      local.log-group-arns[local.other-stage[each.key]],
      [
        local.role-arns[local.other-stage[each.key]],
        local.cf-function-arns[local.other-stage[each.key]],
        "${local.state-arn}/${local.other-stage[each.key]}/*",
        "arn:${local.partition}:s3:::${var.data-bucket-names[local.other-stage[each.key]]}",
        "arn:${local.partition}:s3:::${var.data-bucket-names[local.other-stage[each.key]]}/*",
        "arn:${local.partition}:secretsmanager:${local.region}:${local.account-id}:secret:${local.other-stage[each.key]}/*",
      ],
    )
  }
}

# Other stages' artifacts are off limits, except that prod reads dev's when it promotes them (never writes).
data "aws_iam_policy_document" "other-artifacts" {
  for_each = local.stages

  dynamic "statement" {
    for_each = each.key == "prod" ? [] : [true]

    content {
      sid       = "DenyOtherStageArtifacts"
      effect    = "Deny"
      actions   = ["*"]
      resources = [local.artifacts-arn[local.other-stage[each.key]], "${local.artifacts-arn[local.other-stage[each.key]]}/*"]
    }
  }

  dynamic "statement" {
    for_each = each.key == "prod" ? [true] : []

    content {
      sid         = "DenyAllButReadingThePromotionSource"
      effect      = "Deny"
      not_actions = ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation"]
      resources   = [local.artifacts-arn["dev"], "${local.artifacts-arn["dev"]}/*"]
    }
  }
}

# Apply: everything plan may do, plus writing the stage's state, artifacts and resources.
data "aws_iam_policy_document" "apply" {
  for_each                = local.stages
  source_policy_documents = [data.aws_iam_policy_document.plan[each.key].json]

  dynamic "statement" {
    for_each = each.key == "prod" ? [true] : []

    content {
      sid       = "ReadPromotionSource"
      actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation"]
      resources = [local.artifacts-arn["dev"], "${local.artifacts-arn["dev"]}/*"]
    }
  }

  statement {
    sid       = "WriteStageState"
    actions   = ["s3:PutObject"]
    resources = ["${local.state-arn}/${each.key}/*"]
  }

  statement {
    sid       = "WriteStageArtifacts"
    actions   = ["s3:PutObject"]
    resources = ["${local.artifacts-arn[each.key]}/*"]
  }

  dynamic "statement" {
    for_each = each.key == var.module-publisher-stage ? [true] : []

    content {
      sid       = "PublishModules"
      actions   = ["s3:PutObject"]
      resources = ["${local.modules-arn}/modules/*"]
    }
  }

  statement {
    sid       = "ManageStageFunctions"
    actions   = ["lambda:*"]
    resources = concat(local.function-arns[each.key], [for arn in local.function-arns[each.key] : "${arn}:*"])
  }

  statement {
    sid       = "PassStageRolesToLambda"
    actions   = ["iam:PassRole"]
    resources = [local.role-arns[each.key]]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["lambda.amazonaws.com"]
    }
  }

  statement {
    sid = "StageRolesOnlyWithBoundary"
    actions = [
      "iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
      "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary",
    ]
    resources = [local.role-arns[each.key]]

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary-arn[each.key]]
    }
  }

  statement {
    sid = "ManageStageRoles"
    actions = [
      "iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
      "iam:UpdateAssumeRolePolicy",
    ]
    resources = [local.role-arns[each.key]]
  }

  statement {
    sid = "ManageStageLogGroups"
    actions = [
      "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
      "logs:TagResource", "logs:UntagResource", "logs:TagLogGroup", "logs:UntagLogGroup",
    ]
    resources = concat(local.log-group-arns[each.key], [for arn in local.log-group-arns[each.key] : "${arn}:*"])
  }

  # API Gateway access logging goes through CloudWatch Logs vended deliveries, which have no per-resource ARNs.
  statement {
    sid = "AccessLogDelivery"
    actions = [
      "logs:CreateLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:PutResourcePolicy",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "CreateStageHttpApis"
    actions   = ["apigateway:POST"]
    resources = [local.http-api-collection]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/depoxy:stage"
      values   = [each.key]
    }
  }

  statement {
    sid       = "ManageStageHttpApis"
    actions   = ["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"]
    resources = ["${local.http-api-collection}/*", "arn:${local.partition}:apigateway:${local.region}::/tags/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/depoxy:stage"
      values   = [each.key]
    }
  }

  statement {
    sid       = "CreateStageDistributions"
    actions   = ["cloudfront:CreateDistribution", "cloudfront:CreateDistributionWithTags", "cloudfront:TagResource"]
    resources = [local.distribution-arns]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/depoxy:stage"
      values   = [each.key]
    }
  }

  statement {
    sid = "ManageStageDistributions"
    actions = [
      "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution", "cloudfront:CreateInvalidation",
      "cloudfront:GetInvalidation", "cloudfront:TagResource", "cloudfront:UntagResource",
    ]
    resources = [local.distribution-arns]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/depoxy:stage"
      values   = [each.key]
    }
  }

  statement {
    sid = "ManageStageCloudFrontFunctions"
    actions = [
      "cloudfront:CreateFunction", "cloudfront:UpdateFunction", "cloudfront:PublishFunction",
      "cloudfront:DeleteFunction",
    ]
    resources = [local.cf-function-arns[each.key]]
  }

  # Origin access controls have generated ids and no tags; the bucket policy, not the OAC, decides what is readable.
  statement {
    sid = "ManageOriginAccessControls"
    actions = [
      "cloudfront:CreateOriginAccessControl", "cloudfront:UpdateOriginAccessControl",
      "cloudfront:DeleteOriginAccessControl",
    ]
    resources = ["arn:${local.partition}:cloudfront::${local.account-id}:origin-access-control/*"]
  }

  statement {
    sid       = "ManageStageSiteBuckets"
    actions   = ["s3:*"]
    resources = local.site-bucket-arns[each.key]
  }

  statement {
    sid       = "DenyRequestTagForOtherStage"
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:RequestTag/depoxy:stage"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:RequestTag/depoxy:stage"
      values   = [each.key]
    }
  }
}
