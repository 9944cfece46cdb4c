terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }

  # Completed at init: -backend-config=bucket=<state bucket> -backend-config=key=ci/terraform.tfstate
  # -backend-config=region=eu-west-1 -backend-config=use_lockfile=true (see tf/README.md for the first apply).
  backend "s3" {}
}
