# Every stage resource is named depoxy-<stage>-* (functions, roles, log groups, site buckets, CloudFront functions)
# or, where AWS assigns ids (HTTP APIs, distributions), tagged depoxy:stage = <stage> by the stacks' default_tags.
# The policies below grant by that name prefix or tag, so a stage's roles only reach that stage. The artifacts
# buckets are named depoxy-artifacts-<stage>, outside the depoxy-<stage>-* site wildcard, and granted one by one.
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
  ci-role-arns        = "arn:${local.partition}:iam::${local.account-id}:role/github-depoxy-*"
  site-bucket-arns    = { for stage in local.stages : stage => ["arn:${local.partition}:s3:::depoxy-${stage}-*", "arn:${local.partition}:s3:::depoxy-${stage}-*/*"] }
  log-group-arns      = { for stage in local.stages : stage => ["arn:${local.partition}:logs:${local.region}:${local.account-id}:log-group:/aws/lambda/depoxy-${stage}-*", "arn:${local.partition}:logs:${local.region}:${local.account-id}:log-group:/aws/apigateway/depoxy-${stage}-*"] }
  distribution-arns   = "arn:${local.partition}:cloudfront::${local.account-id}:distribution/*"
  cf-function-arns    = { for stage in local.stages : stage => "arn:${local.partition}:cloudfront::${local.account-id}:function/depoxy-${stage}-*" }
  http-api-collection = "arn:${local.partition}:apigateway:${local.region}::/apis"
  layer-arns          = [for account in var.lambda-layer-account-ids : "arn:${local.partition}:lambda:${local.region}:${account}:layer:*"]
  # What terraform plan of tf/ci reads from its own buckets: configuration only (HeadBucket needs s3:ListBucket).
  bucket-configuration-reads = [
    "s3:ListBucket", "s3:GetBucket*", "s3:GetAccelerateConfiguration", "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration",
  ]
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

  # Only as the stage's sender, through this account's verified identities.
  statement {
    sid       = "SendEmailAsStageSender"
    actions   = ["ses:SendEmail", "ses:SendRawEmail"]
    resources = ["arn:${local.partition}:ses:${local.region}:${local.account-id}:identity/*"]

    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = [var.ses-sender-addresses[each.key]]
    }
  }
}

resource "aws_iam_policy" "boundary" {
  for_each    = local.stages
  name        = "depoxy-${each.key}-boundary"
  description = "Permissions boundary of every role the ${each.key} deploy role creates"
  policy      = data.aws_iam_policy_document.boundary[each.key].json
}

# Plan: read the stage's state (never its lock: pull-request and drift plans run with -lock=false), the modules and
# the stage's artifacts, describe the stage's resources, and read tf/ci itself so it can be planned read-only.
data "aws_iam_policy_document" "plan" {
  for_each                = local.stages
  source_policy_documents = [data.aws_iam_policy_document.other-artifacts[each.key].json]

  # Key names only: the S3 backend lists env:/ for workspaces, and a missing state answers 404 (an empty stack)
  # instead of 403 only with s3:ListBucket. The objects themselves stay stage-scoped.
  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = [local.state-arn]
  }

  statement {
    sid       = "ReadStageAndCiState"
    actions   = ["s3:GetObject"]
    resources = ["${local.state-arn}/${each.key}/*", "${local.state-arn}/ci/terraform.tfstate"]
  }

  statement {
    sid       = "ReadModules"
    actions   = ["s3:ListBucket", "s3:GetBucketAcl", "s3:GetObject"]
    resources = [local.modules-arn, "${local.modules-arn}/modules/*"]
  }

  statement {
    sid       = "ReadStageArtifacts"
    actions   = ["s3:ListBucket", "s3:GetObject"]
    resources = [local.artifacts-arn[each.key], "${local.artifacts-arn[each.key]}/*"]
  }

  # The promote plan job proves dev's release before anyone approves prod.
  dynamic "statement" {
    for_each = each.key == "prod" ? [true] : []

    content {
      sid       = "ReadPromotionSource"
      actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation"]
      resources = [local.artifacts-arn["dev"], "${local.artifacts-arn["dev"]}/*"]
    }
  }

  statement {
    sid       = "ReadCiBucketConfiguration"
    actions   = local.bucket-configuration-reads
    resources = [for bucket in aws_s3_bucket.bucket : bucket.arn]
  }

  statement {
    sid       = "ReadCiIdentities"
    actions   = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags"]
    resources = [local.ci-role-arns]
  }

  statement {
    sid       = "ReadBoundaries"
    actions   = ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:ListPolicyTags"]
    resources = values(local.boundary-arn)
  }

  statement {
    sid       = "ReadOidcProvider"
    actions   = ["iam:GetOpenIDConnectProvider"]
    resources = [aws_iam_openid_connect_provider.github.arn]
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
    actions   = local.bucket-configuration-reads
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

  # Only the stage's HTTP APIs (tag inherited by their routes, integrations and stages); never /apikeys or REST APIs.
  statement {
    sid       = "DescribeStageHttpApis"
    actions   = ["apigateway:GET"]
    resources = ["${local.http-api-collection}/*", "arn:${local.partition}:apigateway:${local.region}::/tags/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/depoxy:stage"
      values   = [each.key]
    }
  }

  # Ids, not names: configuration metadata only (no data, state or code); the deny below keeps other stages' out.
  statement {
    sid = "DescribeById"
    actions = [
      "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:ListTagsForResource",
      "cloudfront:GetOriginAccessControl", "cloudfront:GetCachePolicy", "cloudfront:GetOriginRequestPolicy",
      "cloudfront:GetResponseHeadersPolicy",
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
      [for arn in local.function-arns[local.other-stage[each.key]] : "${arn}:*"],
      local.site-bucket-arns[local.other-stage[each.key]],
      local.log-group-arns[local.other-stage[each.key]],
      [for arn in local.log-group-arns[local.other-stage[each.key]] : "${arn}:*"],
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

# Other stages' artifacts are off limits except for tf/ci's read of their bucket configuration, and prod reads dev's
# objects when it promotes them (never writes).
data "aws_iam_policy_document" "other-artifacts" {
  for_each = local.stages

  dynamic "statement" {
    for_each = each.key == "prod" ? [] : [true]

    content {
      sid         = "DenyOtherStageArtifacts"
      effect      = "Deny"
      not_actions = local.bucket-configuration-reads
      resources   = [local.artifacts-arn[local.other-stage[each.key]], "${local.artifacts-arn[local.other-stage[each.key]]}/*"]
    }
  }

  dynamic "statement" {
    for_each = each.key == "prod" ? [true] : []

    content {
      sid         = "DenyAllButReadingThePromotionSource"
      effect      = "Deny"
      not_actions = distinct(concat(["s3:GetObject", "s3:GetObjectVersion", "s3:GetBucketLocation"], local.bucket-configuration-reads))
      resources   = [local.artifacts-arn["dev"], "${local.artifacts-arn["dev"]}/*"]
    }
  }
}

# Plan and drift roles only: nothing they do writes, so no write is allowed whatever another statement grants.
data "aws_iam_policy_document" "plan-only" {
  for_each                = local.stages
  source_policy_documents = [data.aws_iam_policy_document.plan[each.key].json]

  statement {
    sid       = "DenyEveryWrite"
    effect    = "Deny"
    actions   = ["s3:Put*", "s3:Delete*", "s3:Restore*", "s3:Replicate*", "lambda:Create*", "lambda:Update*", "lambda:Delete*", "lambda:Publish*", "lambda:Add*", "lambda:Remove*", "lambda:Put*", "lambda:Invoke*", "iam:Create*", "iam:Put*", "iam:Update*", "iam:Delete*", "iam:Attach*", "iam:Detach*", "iam:PassRole", "iam:Tag*", "iam:Untag*", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE", "cloudfront:Create*", "cloudfront:Update*", "cloudfront:Delete*", "cloudfront:Publish*", "cloudfront:Tag*", "cloudfront:Untag*", "logs:Create*", "logs:Put*", "logs:Delete*", "logs:Update*", "logs:Tag*", "logs:Untag*", "secretsmanager:*", "ses:*"]
    resources = ["*"]
  }
}

# Apply: everything plan may do, plus writing the stage's state, artifacts and resources.
data "aws_iam_policy_document" "apply" {
  for_each                = local.stages
  source_policy_documents = [data.aws_iam_policy_document.plan[each.key].json]

  # The state and its lock (<key>.tflock, created with If-None-Match, deleted when the apply ends).
  statement {
    sid       = "WriteStageState"
    actions   = ["s3:PutObject"]
    resources = ["${local.state-arn}/${each.key}/*"]
  }

  statement {
    sid       = "ReleaseStageStateLock"
    actions   = ["s3:DeleteObject"]
    resources = ["${local.state-arn}/${each.key}/*/terraform.tfstate.tflock"]
  }

  # New keys only for releases (the bucket policy refuses overwriting them); the ledger, current.json, stage.json and
  # the lock are rewritten.
  statement {
    sid       = "WriteStageArtifacts"
    actions   = ["s3:PutObject"]
    resources = ["${local.artifacts-arn[each.key]}/*"]
  }

  statement {
    sid       = "ReleaseStageLock"
    actions   = ["s3:DeleteObject"]
    resources = ["${local.artifacts-arn[each.key]}/releases/${each.key}/lock.json"]
  }

  dynamic "statement" {
    for_each = each.key == var.module-publisher-stage ? [true] : []

    content {
      sid       = "PublishModules"
      actions   = ["s3:PutObject"]
      resources = ["${local.modules-arn}/modules/*"]
    }
  }

  # What Terraform's aws_lambda_function and aws_lambda_alias and the build's LambdaReleaser call; no function URLs.
  statement {
    sid = "ManageStageFunctions"
    actions = [
      "lambda:CreateFunction", "lambda:DeleteFunction", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
      "lambda:PublishVersion", "lambda:CreateAlias", "lambda:UpdateAlias", "lambda:DeleteAlias",
      "lambda:TagResource", "lambda:UntagResource", "lambda:RemovePermission",
    ]
    resources = concat(local.function-arns[each.key], [for arn in local.function-arns[each.key] : "${arn}:*"])
  }

  # API Gateway may invoke the function; nobody else can be let in.
  statement {
    sid       = "LetApiGatewayInvoke"
    actions   = ["lambda:AddPermission"]
    resources = concat(local.function-arns[each.key], [for arn in local.function-arns[each.key] : "${arn}:*"])

    condition {
      test     = "StringEquals"
      variable = "lambda:Principal"
      values   = ["apigateway.amazonaws.com"]
    }
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

  # Every write to a stage role requires the stage's boundary on it, so the role cannot exceed the stage.
  statement {
    sid = "StageRolesOnlyWithBoundary"
    actions = [
      "iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
      "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRole", "iam:UpdateRole",
      "iam:UpdateRoleDescription",
    ]
    resources = [local.role-arns[each.key]]

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary-arn[each.key]]
    }
  }

  # Terraform lists instance profiles before it deletes or replaces a role.
  statement {
    sid       = "TagAndInspectStageRoles"
    actions   = ["iam:TagRole", "iam:UntagRole", "iam:ListInstanceProfilesForRole"]
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

  # API Gateway access logs: tf/ci holds the log groups' resource policy, so creating a delivery is all a stage needs.
  # Updating or deleting deliveries and resource policies has no per-resource scope, so it is left to administrators.
  statement {
    sid       = "CreateAccessLogDelivery"
    actions   = ["logs:CreateLogDelivery"]
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
    actions   = ["apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"]
    resources = ["${local.http-api-collection}/*", "arn:${local.partition}:apigateway:${local.region}::/tags/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/depoxy:stage"
      values   = [each.key]
    }
  }

  # CreateDistributionWithTags needs CreateDistribution and TagResource, both carrying the stage's tag.
  statement {
    sid       = "CreateStageDistributions"
    actions   = ["cloudfront:CreateDistribution"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/depoxy:stage"
      values   = [each.key]
    }
  }

  statement {
    sid       = "TagNewDistributionsForStage"
    actions   = ["cloudfront:TagResource"]
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

  # CreateFunction has no resource-level scope in IAM; updating, publishing and deleting are by name.
  statement {
    sid       = "CreateCloudFrontFunctions"
    actions   = ["cloudfront:CreateFunction"]
    resources = ["*"]
  }

  statement {
    sid       = "ManageStageCloudFrontFunctions"
    actions   = ["cloudfront:UpdateFunction", "cloudfront:PublishFunction", "cloudfront:DeleteFunction"]
    resources = [local.cf-function-arns[each.key]]
  }

  # Origin access controls have generated ids and no tags, so no policy can tell a stage's own from another's:
  # stages may create them, and only administrators change or delete one.
  statement {
    sid       = "CreateOriginAccessControls"
    actions   = ["cloudfront:CreateOriginAccessControl"]
    resources = ["*"]
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

  # An untagged distribution could otherwise be claimed by tagging it: the stage tag never comes off.
  statement {
    sid       = "DenyRemovingStageTags"
    effect    = "Deny"
    actions   = ["cloudfront:UntagResource", "apigateway:DELETE", "lambda:UntagResource", "logs:UntagResource", "logs:UntagLogGroup", "iam:UntagRole"]
    resources = ["*"]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:TagKeys"
      values   = ["depoxy:stage"]
    }
  }

  statement {
    sid       = "DenyFunctionUrlsAndForeignInvokers"
    effect    = "Deny"
    actions   = ["lambda:CreateFunctionUrlConfig", "lambda:UpdateFunctionUrlConfig"]
    resources = ["*"]
  }

  statement {
    sid       = "DenyAddPermissionForOthersThanApiGateway"
    effect    = "Deny"
    actions   = ["lambda:AddPermission"]
    resources = ["*"]

    condition {
      test     = "StringNotEquals"
      variable = "lambda:Principal"
      values   = ["apigateway.amazonaws.com"]
    }
  }

  # Trust policies and boundaries of existing roles, and the CI's own roles and boundaries, are administrators' work.
  statement {
    sid       = "DenyIamEscalation"
    effect    = "Deny"
    actions   = ["iam:UpdateAssumeRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion"]
    resources = ["*"]
  }

  statement {
    sid       = "DenyTouchingCiRoles"
    effect    = "Deny"
    actions   = ["iam:Create*", "iam:Put*", "iam:Delete*", "iam:Attach*", "iam:Detach*", "iam:Update*", "iam:Tag*", "iam:Untag*", "iam:PassRole"]
    resources = [local.ci-role-arns, aws_iam_openid_connect_provider.github.arn]
  }
}
