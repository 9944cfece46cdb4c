variable "api-name" {
  type        = string
  description = "Name of the HTTP API and of its access log group"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.api-name))
    error_message = "api-name must be 1-128 letters, digits, '-' or '_'."
  }
}

variable "lambda-function-name" {
  type        = string
  description = "Name of the function the API invokes"

  validation {
    condition     = length(var.lambda-function-name) > 0
    error_message = "lambda-function-name must not be empty."
  }
}

variable "lambda-alias-name" {
  type        = string
  description = "Alias the API invokes (live)"
  default     = "live"

  validation {
    condition     = length(var.lambda-alias-name) > 0
    error_message = "lambda-alias-name must not be empty."
  }
}

variable "lambda-alias-invoke-arn" {
  type        = string
  description = "Invoke ARN of the alias"

  validation {
    condition     = startswith(var.lambda-alias-invoke-arn, "arn:")
    error_message = "lambda-alias-invoke-arn must be an ARN."
  }
}

variable "cors-allow-origins" {
  type        = list(string)
  description = "Origins allowed by CORS, e.g. [\"https://app.dev.depoxy.dev\"]"

  validation {
    condition     = length(var.cors-allow-origins) > 0 && alltrue([for o in var.cors-allow-origins : can(regex("^https://[^/*]+$", o))])
    error_message = "cors-allow-origins must list https origins without paths or wildcards."
  }
}

variable "integration-timeout-ms" {
  type        = number
  description = "Integration timeout in milliseconds"
  default     = 29000

  validation {
    condition     = var.integration-timeout-ms >= 50 && var.integration-timeout-ms <= 30000
    error_message = "integration-timeout-ms must be between 50 and 30000."
  }
}

variable "throttling-burst-limit" {
  type        = number
  description = "Burst limit of the $default stage"
  default     = 200

  validation {
    condition     = var.throttling-burst-limit > 0
    error_message = "throttling-burst-limit must be positive."
  }
}

variable "throttling-rate-limit" {
  type        = number
  description = "Steady-state requests per second of the $default stage"
  default     = 100

  validation {
    condition     = var.throttling-rate-limit > 0
    error_message = "throttling-rate-limit must be positive."
  }
}

variable "log-retention-days" {
  type        = number
  description = "Retention of the access log group"
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log-retention-days)
    error_message = "log-retention-days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource"
  default     = {}
}
