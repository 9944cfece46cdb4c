locals {
  origin-id                   = "s3-site"
  caching-optimized-policy-id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  security-headers-policy-id  = "67f7725c-6f97-4210-82d7-5512b31e9d03"
  has-aliases                 = length(var.aliases) > 0
}

resource "aws_s3_bucket" "site" {
  bucket        = var.bucket-name
  force_destroy = var.force-destroy
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "site" {
  bucket = aws_s3_bucket.site.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    id     = "expire-replaced-files"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent-version-days
    }
  }
}

resource "aws_cloudfront_origin_access_control" "site" {
  name                              = var.bucket-name
  description                       = "CloudFront reads ${var.bucket-name}"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# SPA routing in a viewer-request function: rewriting only extension-less paths keeps real 404s for assets,
# which distribution-wide custom error pages would turn into index.html for every missing file.
resource "aws_cloudfront_function" "spa-routing" {
  count   = var.spa-routing ? 1 : 0
  name    = "${var.bucket-name}-spa-routing"
  runtime = "cloudfront-js-2.0"
  comment = "Serves index.html for client-side routes"
  publish = true
  code    = file("${path.module}/spa-routing.js")
}

resource "aws_cloudfront_distribution" "site" {
  enabled             = true
  comment             = var.comment
  aliases             = var.aliases
  default_root_object = "index.html"
  price_class         = var.price-class
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  tags                = var.tags

  origin {
    origin_id                = local.origin-id
    domain_name              = aws_s3_bucket.site.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.site.id
  }

  default_cache_behavior {
    target_origin_id           = local.origin-id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.caching-optimized-policy-id
    response_headers_policy_id = local.security-headers-policy-id

    dynamic "function_association" {
      for_each = aws_cloudfront_function.spa-routing

      content {
        event_type   = "viewer-request"
        function_arn = function_association.value.arn
      }
    }
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
      prefix          = "cloudfront/${var.bucket-name}/"
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

data "aws_iam_policy_document" "site" {
  statement {
    sid       = "CloudFrontReadsThroughOac"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.site.arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.site.arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.site.arn, "${aws_s3_bucket.site.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = data.aws_iam_policy_document.site.json

  depends_on = [aws_s3_bucket_public_access_block.site]
}
