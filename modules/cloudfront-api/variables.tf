variable "api-endpoint" {
  type        = string
  description = "Default endpoint of the HTTP API, https://<id>.execute-api.<region>.amazonaws.com"

  validation {
    condition     = can(regex("^https://[a-z0-9]+\\.execute-api\\.[a-z0-9-]+\\.amazonaws\\.com$", var.api-endpoint))
    error_message = "api-endpoint must be the HTTP API's default https endpoint without a path."
  }
}

variable "aliases" {
  type        = list(string)
  description = "Alternate domain names, e.g. [\"api.dev.depoxy.dev\"]; empty serves on the cloudfront.net domain"
  default     = []

  validation {
    condition     = alltrue([for a in var.aliases : can(regex("^[a-z0-9.-]+$", a))])
    error_message = "aliases must be lower-case domain names."
  }
}

variable "certificate-arn" {
  type        = string
  description = "ACM certificate in us-east-1 covering the aliases; required when aliases are set"
  default     = null

  validation {
    condition     = var.certificate-arn == null || can(regex("^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/", var.certificate-arn))
    error_message = "certificate-arn must be an ACM certificate ARN in us-east-1 (CloudFront only uses those)."
  }
}

variable "price-class" {
  type        = string
  description = "CloudFront price class"
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_All", "PriceClass_200", "PriceClass_100"], var.price-class)
    error_message = "price-class must be PriceClass_All, PriceClass_200 or PriceClass_100."
  }
}

variable "comment" {
  type        = string
  description = "Comment shown in the CloudFront console"
  default     = "API"

  validation {
    condition     = length(var.comment) <= 128
    error_message = "comment must be at most 128 characters."
  }
}

variable "logging-bucket-domain-name" {
  type        = string
  description = "Domain name (<bucket>.s3.amazonaws.com) of the bucket for standard access logs; null disables logging"
  default     = null

  validation {
    condition     = var.logging-bucket-domain-name == null || can(regex("\\.s3\\.amazonaws\\.com$", var.logging-bucket-domain-name))
    error_message = "logging-bucket-domain-name must end in .s3.amazonaws.com."
  }
}

variable "logging-prefix" {
  type        = string
  description = "Key prefix of the access logs"
  default     = "cloudfront/api/"

  validation {
    condition     = !startswith(var.logging-prefix, "/")
    error_message = "logging-prefix must not start with a slash."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource"
  default     = {}
}
