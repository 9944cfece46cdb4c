variable "region" {
  type        = string
  description = "Region of the buckets and of every stage's resources"
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "github-repository" {
  type        = string
  description = "The repository (owner/name) whose workflows deploy Depoxy"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github-repository))
    error_message = "github-repository must be owner/name."
  }
}

variable "state-bucket-name" {
  type        = string
  description = "Bucket of the Terraform state of every stack (keys <stage>/<stack>/terraform.tfstate)"
  default     = "depoxy-terraform-state"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state-bucket-name))
    error_message = "state-bucket-name must be a valid S3 bucket name."
  }
}

variable "modules-bucket-name" {
  type        = string
  description = "Bucket of the published modules (modules/<name>/<version>/<name>.zip); the stacks' module sources name it"
  default     = "depoxy-terraform-modules"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.modules-bucket-name))
    error_message = "modules-bucket-name must be a valid S3 bucket name."
  }
}

variable "artifacts-bucket-names" {
  type        = map(string)
  description = "Artifacts bucket per stage (api/<version>/api.zip and its base64sha256); .nuke/parameters.<stage>.json name the same"
  default = {
    dev  = "depoxy-artifacts-dev"
    prod = "depoxy-artifacts-prod"
  }

  validation {
    condition = toset(keys(var.artifacts-bucket-names)) == toset(["dev", "prod"]) && alltrue([
      for b in values(var.artifacts-bucket-names) : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b)) && !startswith(b, "depoxy-dev-") && !startswith(b, "depoxy-prod-")
    ])
    error_message = "artifacts-bucket-names must name a valid bucket for exactly the stages dev and prod, outside the depoxy-<stage>-* names the site buckets are granted by."
  }
}

variable "module-publisher-stage" {
  type        = string
  description = "The stage whose apply role publishes modules (versions are immutable, so one publisher is enough)"
  default     = "dev"

  validation {
    condition     = contains(["dev", "prod"], var.module-publisher-stage)
    error_message = "module-publisher-stage must be dev or prod."
  }
}

variable "lambda-layer-account-ids" {
  type        = list(string)
  description = "Accounts whose public layers the functions may use (753240598075 publishes the Lambda Web Adapter)"
  default     = ["753240598075"]

  validation {
    condition     = alltrue([for a in var.lambda-layer-account-ids : can(regex("^[0-9]{12}$", a))])
    error_message = "lambda-layer-account-ids must be 12-digit account ids."
  }
}

variable "data-bucket-names" {
  type        = map(string)
  description = "Data bucket of the API per stage (DEPOXY_API_S3_BUCKET); bounds what the stage's function roles may reach"
  default = {
    dev  = "depoxy-dev-data"
    prod = "depoxy-prod-data"
  }

  validation {
    condition     = toset(keys(var.data-bucket-names)) == toset(["dev", "prod"])
    error_message = "data-bucket-names must have exactly the keys dev and prod."
  }
}

variable "default-branch" {
  type        = string
  description = "The only branch whose jobs may assume the drift and apply roles (the OIDC subject's ref)"
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9/_.-]+$", var.default-branch))
    error_message = "default-branch must be a branch name without wildcards."
  }
}

variable "ses-sender-addresses" {
  type        = map(string)
  description = "The From address each stage's API sends email as (DEPOXY_API_SES_SENDER_ADDRESS); the boundary allows no other"
  default = {
    dev  = "login@send.depoxy.dev"
    prod = "login@send.depoxy.dev"
  }

  validation {
    condition     = toset(keys(var.ses-sender-addresses)) == toset(["dev", "prod"]) && alltrue([for a in values(var.ses-sender-addresses) : can(regex("^[^@\\s*]+@[^@\\s*]+\\.[^@\\s*]+$", a))])
    error_message = "ses-sender-addresses must give an email address without wildcards for exactly the stages dev and prod."
  }
}
