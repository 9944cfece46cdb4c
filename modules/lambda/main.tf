resource "aws_cloudwatch_log_group" "lambda-function" {
  name              = "/aws/lambda/${var.function-name}-function"
  retention_in_days = var.log-retention-days
  tags              = var.tags
}

resource "aws_lambda_function" "lambda-function" {
  function_name    = "${var.function-name}-function"
  description      = "${var.function-name}-function"
  s3_bucket        = var.s3-bucket
  s3_key           = var.s3-key
  source_code_hash = var.source-code-hash
  role             = var.role-arn
  handler          = var.handler
  layers           = var.layers
  memory_size      = var.memory-size
  runtime          = var.runtime
  timeout          = var.timeout
  architectures    = [var.architecture]
  # Every code change becomes a numbered version, so the build can move the alias and roll back.
  publish = true
  tags    = var.tags

  dynamic "environment" {
    for_each = length(var.environment-variables) > 0 ? [true] : []

    content {
      variables = var.environment-variables
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.lambda-function.name
  }

  depends_on = [aws_cloudwatch_log_group.lambda-function]
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  description      = "The version serving traffic; moved by the build after a smoke test"
  function_name    = aws_lambda_function.lambda-function.function_name
  function_version = aws_lambda_function.lambda-function.version

  lifecycle {
    # The build promotes versions by moving this alias; Terraform must not move it back.
    ignore_changes = [function_version]
  }
}
