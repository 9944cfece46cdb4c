terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }

  # Completed at init by the build: bucket, key=<stage>/<stack>/terraform.tfstate, region, use_lockfile=true.
  backend "s3" {}
}
