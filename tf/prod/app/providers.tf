provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = local.tags
  }
}

# CloudFront only uses ACM certificates from us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = local.tags
  }
}
