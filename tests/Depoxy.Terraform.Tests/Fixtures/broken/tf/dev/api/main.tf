# Deliberately broken, to show the consistency test fails: every line marked BROKEN is a problem it must report.
module "lambda-function" {
  # BROKEN: 0.0.9 is not modules/lambda/VERSION, and the bucket is not tf/ci's modules bucket (tf/ci is absent).
  source = "s3::https://s3-eu-west-1.amazonaws.com/depoxy-terraform-modules/modules/lambda/0.0.9/lambda.zip"
  # BROKEN: memory is not a variable of the module (memory-size is); function-name (required) is not passed.
  memory = 512
}
