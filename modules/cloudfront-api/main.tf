locals {
  origin-id = "api-gateway"
  # CloudFront wants the bare host name of the HTTP API's default endpoint.
  origin-domain = trimprefix(var.api-endpoint, "https://")
  # Managed policies; Host must not be forwarded, or API Gateway answers 403 for the distribution's domain.
  caching-disabled-policy-id              = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  all-viewer-except-host-header-policy-id = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
  security-headers-policy-id              = "67f7725c-6f97-4210-82d7-5512b31e9d03"
  has-aliases                             = length(var.aliases) > 0
}

resource "aws_cloudfront_distribution" "api" {
  enabled         = true
  comment         = var.comment
  aliases         = var.aliases
  price_class     = var.price-class
  http_version    = "http2and3"
  is_ipv6_enabled = true
  tags            = var.tags

  origin {
    origin_id   = local.origin-id
    domain_name = local.origin-domain

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  ordered_cache_behavior {
    path_pattern               = "/api/*"
    target_origin_id           = local.origin-id
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.caching-disabled-policy-id
    origin_request_policy_id   = local.all-viewer-except-host-header-policy-id
    response_headers_policy_id = local.security-headers-policy-id
  }

  # Anything outside /api/* still reaches the API (for its 404), read-only and uncached.
  default_cache_behavior {
    target_origin_id           = local.origin-id
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.caching-disabled-policy-id
    origin_request_policy_id   = local.all-viewer-except-host-header-policy-id
    response_headers_policy_id = local.security-headers-policy-id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = !local.has-aliases
    acm_certificate_arn            = local.has-aliases ? var.certificate-arn : null
    ssl_support_method             = local.has-aliases ? "sni-only" : null
    minimum_protocol_version       = local.has-aliases ? "TLSv1.2_2021" : "TLSv1"
  }

  dynamic "logging_config" {
    for_each = var.logging-bucket-domain-name == null ? [] : [true]

    content {
      bucket          = var.logging-bucket-domain-name
      prefix          = var.logging-prefix
      include_cookies = false
    }
  }

  lifecycle {
    precondition {
      condition     = !local.has-aliases || var.certificate-arn != null
      error_message = "aliases need certificate-arn: an ACM certificate in us-east-1 covering them."
    }
  }
}
