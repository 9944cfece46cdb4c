variable "bucket-name" {
  type        = string
  description = "Name of the private site bucket (also names the OAC and the routing function)"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,50}[a-z0-9]$", var.bucket-name))
    error_message = "bucket-name must be 3-52 lower-case letters, digits or '-' (the routing function appends -spa-routing)."
  }
}

variable "spa-routing" {
  type        = bool
  description = "Serve index.html for extension-less paths (single-page app) through a CloudFront Function"
  default     = false
}

variable "aliases" {
  type        = list(string)
  description = "Alternate domain names; empty serves on the cloudfront.net domain"
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
  default     = "Site"

  validation {
    condition     = length(var.comment) <= 128
    error_message = "comment must be at most 128 characters."
  }
}

variable "noncurrent-version-days" {
  type        = number
  description = "Days replaced files are kept, for rolling back a site"
  default     = 30

  validation {
    condition     = var.noncurrent-version-days >= 1
    error_message = "noncurrent-version-days must be at least 1."
  }
}

variable "force-destroy" {
  type        = bool
  description = "Allow destroying the bucket with its objects (dev only)"
  default     = false
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

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource"
  default     = {}
}
