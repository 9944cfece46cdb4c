variable "lambda-function-version" {
  type        = string
  description = "Version of the API package to deploy: api/<version>/api.zip in the artifacts bucket"

  validation {
    condition     = can(regex("^[0-9A-Za-z][0-9A-Za-z.+_-]*$", var.lambda-function-version))
    error_message = "lambda-function-version must be a version such as 1.4.0 or 1.4.0-rc.1+abc1234, without slashes."
  }
}

variable "lambda-function-s3-bucket-name" {
  type        = string
  description = "Artifacts bucket of the stage, holding api/<version>/api.zip and api.zip.base64sha256"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.lambda-function-s3-bucket-name))
    error_message = "lambda-function-s3-bucket-name must be a valid S3 bucket name."
  }
}

# The seed reads this from api/<version>/api.zip.base64sha256 with data.aws_s3_object. The build passes the same
# value from the release's verified manifest instead, so a plan can be made and approved before a single byte is
# written to the stage's bucket (the promote plan job runs read-only), and a pull request's plan of a commit whose
# version was never published does not look for a file.
variable "lambda-function-source-code-hash" {
  type        = string
  description = "base64(sha256) of api/<version>/api.zip, as in its api.zip.base64sha256 file and Lambda's CodeSha256"

  validation {
    condition     = can(regex("^[A-Za-z0-9+/]{43}=$", var.lambda-function-source-code-hash))
    error_message = "lambda-function-source-code-hash must be a base64-encoded SHA-256 (44 characters ending in =)."
  }
}

variable "lambda-layers" {
  type        = list(string)
  description = "Layers of the function; the AWS Lambda Web Adapter runs the ASP.NET Core server that the package's bootstrap starts"
  default     = ["arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerX86:25"]

  validation {
    condition     = alltrue([for l in var.lambda-layers : can(regex("^arn:aws:lambda:eu-west-1:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", l))])
    error_message = "lambda-layers must be layer version ARNs in eu-west-1."
  }
}

variable "domain-aliases" {
  type        = list(string)
  description = "Domain names of the API distribution, e.g. [\"api.dev.depoxy.dev\"]; needs an issued ACM certificate in us-east-1. Empty serves on cloudfront.net"
  default     = []

  validation {
    condition     = alltrue([for a in var.domain-aliases : can(regex("^[a-z0-9.-]+$", a))])
    error_message = "domain-aliases must be lower-case domain names."
  }
}
