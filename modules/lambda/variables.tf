variable "function-name" {
  type        = string
  description = "Base name of the function; the function is named <function-name>-function"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,55}$", var.function-name))
    error_message = "function-name must be 1-55 letters, digits, '-' or '_' (the suffix -function makes it at most 64)."
  }
}

variable "s3-bucket" {
  type        = string
  description = "Bucket holding the deployment package"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.s3-bucket))
    error_message = "s3-bucket must be a valid S3 bucket name."
  }
}

variable "s3-key" {
  type        = string
  description = "Key of the deployment package, e.g. api/<version>/api.zip"

  validation {
    condition     = endswith(var.s3-key, ".zip")
    error_message = "s3-key must name a .zip package."
  }
}

variable "source-code-hash" {
  type        = string
  description = "Base64-encoded SHA-256 of the package; a change publishes a new version"

  validation {
    condition     = can(regex("^[A-Za-z0-9+/]{43}=$", var.source-code-hash))
    error_message = "source-code-hash must be a base64 SHA-256 (44 characters ending in '=')."
  }
}

variable "role-arn" {
  type        = string
  description = "ARN of the execution role"

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.role-arn))
    error_message = "role-arn must be an IAM role ARN."
  }
}

variable "handler" {
  type        = string
  description = "Handler; bootstrap for a custom runtime (provided.al2023) whose bootstrap starts the web server behind the Lambda Web Adapter"

  validation {
    condition     = length(var.handler) > 0
    error_message = "handler must not be empty."
  }
}

variable "layers" {
  type        = list(string)
  description = "Layer version ARNs, e.g. the Lambda Web Adapter"
  default     = []

  validation {
    condition     = length(var.layers) <= 5 && alltrue([for l in var.layers : can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", l))])
    error_message = "layers must be at most 5 layer version ARNs."
  }
}

variable "memory-size" {
  type        = number
  description = "Memory in MB"
  default     = 1024

  validation {
    condition     = var.memory-size >= 128 && var.memory-size <= 10240
    error_message = "memory-size must be between 128 and 10240 MB."
  }
}

variable "runtime" {
  type        = string
  description = "Lambda runtime identifier accepted by AWS provider 5.100 and 6.x, e.g. provided.al2023"

  validation {
    condition     = length(var.runtime) > 0
    error_message = "runtime must not be empty."
  }
}

variable "timeout" {
  type        = number
  description = "Timeout in seconds; API Gateway gives up after 30"
  default     = 10

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900
    error_message = "timeout must be between 1 and 900 seconds."
  }
}

variable "environment-variables" {
  type        = map(string)
  description = "Environment of the function process"
  default     = {}
}

variable "architecture" {
  type        = string
  description = "Instruction set: arm64 or x86_64"
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "log-retention-days" {
  type        = number
  description = "Retention of the function's log group"
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
