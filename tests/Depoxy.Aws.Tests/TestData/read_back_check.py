"""Writes what Terraform writes through botocore, reads it back, and prints each difference: botocore validates every
request against AWS's service model and parses every answer by it, so what the emulator answers is in AWS's shape.
Everything sent must come back as sent; AWS may add the elements it always returns, and those the check names too."""

import io
import json
import sys
import zipfile

import boto3

endpoint = sys.argv[1]
client = lambda service, region="eu-west-1": boto3.client(  # noqa: E731
    service, endpoint_url=endpoint, region_name=region, aws_access_key_id="test", aws_secret_access_key="test")
differences = []


def missing(sent, read, path=""):
    """Where what was sent is not in what was read back (read may hold more: AWS's defaults)."""
    if isinstance(sent, dict) and isinstance(read, dict):
        return [m for key, value in sent.items() for m in missing(value, read.get(key), f"{path}.{key}")]
    if isinstance(sent, list) and isinstance(read, list) and len(sent) == len(read):
        return [m for i, (a, b) in enumerate(zip(sent, read)) for m in missing(a, b, f"{path}[{i}]")]
    return [] if sent == read else [f"{path or '(all)'}: sent {json.dumps(sent, default=str)}, read back {json.dumps(read, default=str)}"]


def expect(what, sent, read):
    differences.extend(f"{what} {m}" for m in missing(sent, read))


# CloudFront: an S3 origin behind an origin access control, a cache policy, a viewer-request function, the default certificate.
cloudfront = client("cloudfront", "us-east-1")
config = {
    "CallerReference": "read-back", "Comment": "read-back", "Enabled": True, "DefaultRootObject": "index.html",
    "Origins": {"Quantity": 1, "Items": [{
        "Id": "site", "DomainName": "read-back-site.s3.eu-west-1.amazonaws.com", "OriginPath": "",
        "OriginAccessControlId": "E2OACREADBACK", "S3OriginConfig": {"OriginAccessIdentity": ""},
        "CustomHeaders": {"Quantity": 0}, "ConnectionAttempts": 3, "ConnectionTimeout": 10}]},
    "DefaultCacheBehavior": {
        "TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https", "Compress": True,
        "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        "AllowedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"], "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]}},
        "FunctionAssociations": {"Quantity": 1, "Items": [
            {"FunctionARN": "arn:aws:cloudfront::123456789012:function/read-back", "EventType": "viewer-request"}]},
        "LambdaFunctionAssociations": {"Quantity": 0}},
    "ViewerCertificate": {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"},
    "PriceClass": "PriceClass_100", "HttpVersion": "http2and3", "IsIPV6Enabled": True,
}
created = cloudfront.create_distribution_with_tags(
    DistributionConfigWithTags={"DistributionConfig": config, "Tags": {"Items": [{"Key": "stage", "Value": "dev"}]}})
distribution_id = created["Distribution"]["Id"]
expect("CloudFront CreateDistributionWithTags", config, created["Distribution"]["DistributionConfig"])
expect("CloudFront GetDistribution", config, cloudfront.get_distribution(Id=distribution_id)["Distribution"]["DistributionConfig"])
answer = cloudfront.get_distribution_config(Id=distribution_id)
expect("CloudFront GetDistributionConfig", config, answer["DistributionConfig"])
config["Comment"] = "read-back, updated"
updated = cloudfront.update_distribution(Id=distribution_id, IfMatch=answer["ETag"], DistributionConfig=config)
expect("CloudFront UpdateDistribution", config, updated["Distribution"]["DistributionConfig"])
read = cloudfront.get_distribution(Id=distribution_id)["Distribution"]["DistributionConfig"]
expect("CloudFront GetDistribution after update", config, read)
# Elements AWS always returns, which Terraform reads without checking for their absence.
expect("CloudFront defaults", {"OriginGroups": {"Quantity": 0}, "CustomErrorResponses": {"Quantity": 0}, "Aliases": {"Quantity": 0},
                               "Restrictions": {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}},
                               "Logging": {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""}}, read)

# Lambda: LoggingConfig as set, and AWS's defaults where it was not.
iam = client("iam")
role = iam.create_role(RoleName="read-back", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
package = io.BytesIO()
with zipfile.ZipFile(package, "w") as archive:
    archive.writestr("bootstrap", "")
lam = client("lambda")
logging = {"LogFormat": "Text", "LogGroup": "/aws/lambda/read-back-custom"}
lam.create_function(FunctionName="read-back", Role=role, Runtime="provided.al2023", Handler="bootstrap",
                    Code={"ZipFile": package.getvalue()}, LoggingConfig=logging)
expect("Lambda GetFunction LoggingConfig", logging, lam.get_function(FunctionName="read-back")["Configuration"].get("LoggingConfig"))
lam.create_function(FunctionName="read-back-default", Role=role, Runtime="provided.al2023", Handler="bootstrap",
                    Code={"ZipFile": package.getvalue()})
expect("Lambda default LoggingConfig", {"LogFormat": "Text", "LogGroup": "/aws/lambda/read-back-default"},
       lam.get_function_configuration(FunctionName="read-back-default").get("LoggingConfig"))

# S3: lifecycle rules as put, an empty filter included.
s3 = client("s3")
s3.create_bucket(Bucket="read-back-site", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
rules = [
    {"ID": "expire-replaced-files", "Status": "Enabled", "Filter": {}, "NoncurrentVersionExpiration": {"NoncurrentDays": 30}},
    {"ID": "expire-short-lived-records", "Status": "Enabled", "Filter": {"Prefix": "data/expiring/"}, "Expiration": {"Days": 1}},
]
s3.put_bucket_lifecycle_configuration(Bucket="read-back-site", LifecycleConfiguration={"Rules": rules})
expect("S3 GetBucketLifecycleConfiguration", rules, s3.get_bucket_lifecycle_configuration(Bucket="read-back-site")["Rules"])

print("\n".join(differences) if differences else "read back as sent")
sys.exit(1 if differences else 0)
