locals {
  # API Gateway answers CORS itself and drops the function's CORS headers, so these rules are what browsers see.
  # The API reads the same file (embedded at build time) for local runs, so the two cannot disagree.
  cors = jsondecode(file("${path.module}/cors.json"))
}

resource "aws_cloudwatch_log_group" "access-logs" {
  name              = "/aws/apigateway/${var.api-name}"
  retention_in_days = var.log-retention-days
  tags              = var.tags
}

resource "aws_apigatewayv2_api" "api" {
  name          = var.api-name
  description   = "HTTP API of ${var.api-name}, served through CloudFront"
  protocol_type = "HTTP"
  tags          = var.tags

  cors_configuration {
    allow_origins     = var.cors-allow-origins
    allow_methods     = local.cors.allowMethods
    allow_headers     = local.cors.allowHeaders
    expose_headers    = local.cors.exposeHeaders
    allow_credentials = local.cors.allowCredentials
    max_age           = local.cors.maxAgeSeconds
  }
}

resource "aws_apigatewayv2_integration" "lambda" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = var.lambda-alias-invoke-arn
  payload_format_version = "2.0"
  timeout_milliseconds   = var.integration-timeout-ms
}

resource "aws_apigatewayv2_route" "default" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "$default"
  target    = "integrations/${aws_apigatewayv2_integration.lambda.id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.api.id
  name        = "$default"
  auto_deploy = true
  tags        = var.tags

  default_route_settings {
    throttling_burst_limit = var.throttling-burst-limit
    throttling_rate_limit  = var.throttling-rate-limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access-logs.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      ip                 = "$context.identity.sourceIp"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      path               = "$context.path"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
    })
  }
}

resource "aws_lambda_permission" "api-gateway" {
  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = var.lambda-function-name
  qualifier     = var.lambda-alias-name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/*"
}
