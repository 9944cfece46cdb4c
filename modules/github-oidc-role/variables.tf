variable "role-name" {
  type        = string
  description = "Name of the role"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role-name))
    error_message = "role-name must be 1-64 characters valid in an IAM role name."
  }
}

variable "oidc-provider-arn" {
  type        = string
  description = "ARN of the IAM OIDC provider for token.actions.githubusercontent.com"

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.oidc-provider-arn))
    error_message = "oidc-provider-arn must be the ARN of the GitHub Actions OIDC provider."
  }
}

variable "repository" {
  type        = string
  description = "The one repository (owner/name) whose workflows may assume the role"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.repository))
    error_message = "repository must be owner/name, without wildcards."
  }
}

variable "subject" {
  type        = string
  description = "The one sub claim after repo:<owner/name>, in the template include_claim_keys [\"repo\", \"context\", \"ref\"]: environment:<name>:ref:refs/heads/<branch>, ref:refs/heads/<branch>:ref:refs/heads/<branch>, or pull_request:ref:refs/pull/*/merge"

  validation {
    condition     = can(regex("^(environment:[A-Za-z0-9_.-]+:ref:refs/heads/[A-Za-z0-9/_.-]+|ref:refs/heads/([A-Za-z0-9/_.-]+):ref:refs/heads/[A-Za-z0-9/_.-]+|pull_request:ref:refs/pull/\\*/merge)$", var.subject))
    error_message = "subject must be environment:<name>:ref:refs/heads/<branch>, ref:refs/heads/<branch>:ref:refs/heads/<branch> or pull_request:ref:refs/pull/*/merge; the pull request number is the only wildcard."
  }
}

variable "policy-json" {
  type        = string
  description = "Inline permissions policy (JSON) of the role"

  validation {
    condition     = can(jsondecode(var.policy-json))
    error_message = "policy-json must be a JSON policy document."
  }
}

variable "max-session-duration" {
  type        = number
  description = "Maximum session length in seconds"
  default     = 3600

  validation {
    condition     = var.max-session-duration >= 3600 && var.max-session-duration <= 43200
    error_message = "max-session-duration must be between 3600 and 43200 seconds."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource"
  default     = {}
}
