locals {
  issuer = "token.actions.githubusercontent.com"
  # Only a pull request's merge ref varies (refs/pull/<number>/merge); every other subject is matched exactly.
  subject-test = strcontains(var.subject, "*") ? "StringLike" : "StringEquals"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc-provider-arn]
    }

    # Single-valued claims: ForAllValues would also match a token without the claim.
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = local.subject-test
      variable = "${local.issuer}:sub"
      values   = ["repo:${var.repository}:${var.subject}"]
    }
  }
}

resource "aws_iam_role" "role" {
  name                 = var.role-name
  description          = "Assumed by ${var.repository} (${var.subject}) through GitHub OIDC"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max-session-duration
  tags                 = var.tags
}

resource "aws_iam_role_policy" "role" {
  name   = "permissions"
  role   = aws_iam_role.role.id
  policy = var.policy-json
}
