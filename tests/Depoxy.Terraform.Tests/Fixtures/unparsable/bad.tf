# Deliberately unparsable: the block is never closed.
resource "aws_s3_bucket" "site" {
  bucket = "depoxy-dev-www"
