provider "aws" {
  region = var.region

  default_tags {
    tags = {
      "project"      = "depoxy"
      "depoxy:stack" = "ci"
      "managed-by"   = "terraform"
    }
  }
}
