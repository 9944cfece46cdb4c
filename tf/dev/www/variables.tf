variable "domain-aliases" {
  type        = list(string)
  description = "Domain names of the site distribution; needs an issued ACM certificate in us-east-1. Empty serves on cloudfront.net"
  default     = []

  validation {
    condition     = alltrue([for a in var.domain-aliases : can(regex("^[a-z0-9.-]+$", a))])
    error_message = "domain-aliases must be lower-case domain names."
  }
}
