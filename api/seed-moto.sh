#!/bin/bash
# Seeds an AWS endpoint (moto_server, AWS_ENDPOINT_URL) with what the API needs: the bucket, the signing-key secret
# (a fresh base64 DER EC P-256 key) and the verified SES sender. Re-running it keeps what already exists.
# Reads DEPOXY_API_S3_BUCKET, DEPOXY_API_JWT_SECRET_ID and DEPOXY_API_SES_SENDER_ADDRESS.
set -euo pipefail
: "${AWS_ENDPOINT_URL:?set AWS_ENDPOINT_URL to the moto_server URL, e.g. http://127.0.0.1:5081}"
: "${DEPOXY_API_S3_BUCKET:?set DEPOXY_API_S3_BUCKET}"
: "${DEPOXY_API_JWT_SECRET_ID:?set DEPOXY_API_JWT_SECRET_ID}"
: "${DEPOXY_API_SES_SENDER_ADDRESS:?set DEPOXY_API_SES_SENDER_ADDRESS}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-testing}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-testing}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-${AWS_REGION:-eu-west-1}}"
aws=(aws --endpoint-url "$AWS_ENDPOINT_URL" --output text)

if ! "${aws[@]}" s3api head-bucket --bucket "$DEPOXY_API_S3_BUCKET" >/dev/null 2>&1; then
  "${aws[@]}" s3api create-bucket --bucket "$DEPOXY_API_S3_BUCKET" \
    --create-bucket-configuration "LocationConstraint=$AWS_DEFAULT_REGION" >/dev/null
fi
if ! "${aws[@]}" secretsmanager describe-secret --secret-id "$DEPOXY_API_JWT_SECRET_ID" >/dev/null 2>&1; then
  key=$(openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0)
  "${aws[@]}" secretsmanager create-secret --name "$DEPOXY_API_JWT_SECRET_ID" --secret-string "$key" >/dev/null
fi
"${aws[@]}" sesv2 create-email-identity --email-identity "$DEPOXY_API_SES_SENDER_ADDRESS" >/dev/null 2>&1 \
  || "${aws[@]}" ses verify-email-identity --email-address "$DEPOXY_API_SES_SENDER_ADDRESS" >/dev/null
echo "seeded $AWS_ENDPOINT_URL: bucket $DEPOXY_API_S3_BUCKET, secret $DEPOXY_API_JWT_SECRET_ID, SES sender $DEPOXY_API_SES_SENDER_ADDRESS"
