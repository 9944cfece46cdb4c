#!/bin/bash
# Lambda handler for the AWS Lambda Web Adapter (AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap): starts Kestrel, which
# listens on AWS_LWA_PORT (else PORT, else 8080) unless --urls or ASPNETCORE_URLS says otherwise.
cd "$(dirname "$0")" || exit 1
exec dotnet Depoxy.Api.dll "$@"
