variable "role-name" {
  type        = string
  description = "Name of the execution role"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role-name))
    error_message = "role-name must be 1-64 characters valid in an IAM role name."
  }
}

variable "log-group-name" {
  type        = string
  description = "Log group the function writes to, e.g. /aws/lambda/<name>-function"

  validation {
    condition     = startswith(var.log-group-name, "/aws/lambda/")
    error_message = "log-group-name must start with /aws/lambda/."
  }
}

variable "s3-bucket" {
  type        = string
  description = "Data bucket of the API (DEPOXY_API_S3_BUCKET)"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.s3-bucket))
    error_message = "s3-bucket must be a valid S3 bucket name."
  }
}

variable "s3-prefix" {
  type        = string
  description = "The only prefix of the data bucket the API may read and write (DEPOXY_API_S3_PREFIX)"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9/_.-]*[A-Za-z0-9]$", var.s3-prefix)) && !endswith(var.s3-prefix, "/")
    error_message = "s3-prefix must be a non-empty key prefix without a leading or trailing slash."
  }
}

variable "secret-ids" {
  type        = list(string)
  description = "Names of the Secrets Manager secrets the API may read"
  default     = []

  validation {
    condition     = alltrue([for id in var.secret-ids : can(regex("^[A-Za-z0-9/_+=.@-]+$", id)) && !strcontains(id, "*")])
    error_message = "secret-ids must be secret names, without wildcards."
  }
}

variable "ses-sender-address" {
  type        = string
  description = "The only From address the API may send email from; null disables SES"
  default     = null

  validation {
    condition     = var.ses-sender-address == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.ses-sender-address))
    error_message = "ses-sender-address must be an email address or null."
  }
}

variable "permissions-boundary-arn" {
  type        = string
  description = "Permissions boundary of the role; the stage's deploy role may only create roles with it"
  default     = null

  validation {
    condition     = var.permissions-boundary-arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/", var.permissions-boundary-arn))
    error_message = "permissions-boundary-arn must be an IAM policy ARN or null."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource"
  default     = {}
}
