"""Read-back stand-in: moto answers Terraform's reads in AWS's shape (see README, "The emulator").

moto rebuilds some configurations from a lossy model of its own, so what Terraform reads back differs from what it
wrote, and every re-plan shows updates that are no changes. AWS returns what was set, with its documented defaults
filled in; here too:

- CloudFront GetDistribution, GetDistributionConfig, CreateDistribution(WithTags) and UpdateDistribution answer with
  the DistributionConfig the last create or update sent, with the elements AWS always returns filled in where the
  request left them out (moto drops OriginAccessControlId and FunctionAssociations, adds ForwardedValues beside a
  cache policy and SSLSupportMethod beside the default certificate).
- Lambda GetFunction and GetFunctionConfiguration carry LoggingConfig (moto omits it), with AWS's defaults:
  LogFormat Text, LogGroup /aws/lambda/<function>; JSON adds the INFO log levels.
- S3 GetBucketLifecycleConfiguration answers with the rules as they were put (moto turns an empty Filter into
  Filter{Prefix:""}, which is not what was put).
"""

import copy

import xmltodict

import moto.cloudfront.responses as cloudfront_responses
from moto.awslambda.models import LambdaFunction
from moto.s3.models import FakeBucket
from moto.s3.responses import S3Response

S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"

# Distribution id -> the DistributionConfig its last create or update sent, as botocore parsed it.
_distribution_configs: dict = {}


class _DistributionAsSent:
    """moto's distribution, but with the configuration that was sent."""

    def __init__(self, distribution, config: dict):
        self._distribution = distribution
        self.distribution_config = config

    def __getattr__(self, name: str):
        return getattr(self._distribution, name)


def _empty(quantity_only: bool = True, **more) -> dict:
    return {"Quantity": 0, **more} if quantity_only else dict(more)


def _behavior_defaults(behavior: dict) -> None:
    behavior.setdefault("TrustedSigners", _empty(Enabled=False))
    behavior.setdefault("TrustedKeyGroups", _empty(Enabled=False))
    behavior.setdefault("LambdaFunctionAssociations", _empty())
    behavior.setdefault("FunctionAssociations", _empty())
    behavior.setdefault("FieldLevelEncryptionId", "")
    behavior.setdefault("SmoothStreaming", False)
    behavior.setdefault("Compress", False)
    behavior.setdefault("AllowedMethods", {"Quantity": 2, "Items": ["HEAD", "GET"],
                                           "CachedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"]}})


def _with_aws_defaults(sent: dict) -> dict:
    """The configuration as AWS returns it: what was sent, and the elements it always answers with (AWS's
    DistributionConfig reference), so a client reading it never meets a missing list or flag."""
    config = copy.deepcopy(sent)
    for name in ("Aliases", "OriginGroups", "CacheBehaviors", "CustomErrorResponses"):
        config.setdefault(name, _empty())
    config.setdefault("Logging", {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""})
    config.setdefault("Restrictions", {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}})
    config.setdefault("ViewerCertificate", {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"})
    for name, value in (("Comment", ""), ("DefaultRootObject", ""), ("WebACLId", ""), ("PriceClass", "PriceClass_All"),
                        ("HttpVersion", "http2"), ("IsIPV6Enabled", False), ("ContinuousDeploymentPolicyId", ""), ("Staging", False)):
        config.setdefault(name, value)
    for origin in config.get("Origins", {}).get("Items") or []:
        for name, value in (("OriginPath", ""), ("CustomHeaders", _empty()), ("ConnectionAttempts", 3), ("ConnectionTimeout", 10),
                            ("OriginShield", {"Enabled": False}), ("OriginAccessControlId", "")):
            origin.setdefault(name, value)
    _behavior_defaults(config.setdefault("DefaultCacheBehavior", {}))
    for behavior in config["CacheBehaviors"].get("Items") or []:
        _behavior_defaults(behavior)
    return config


def _as_sent(result, distribution_key: str = "Distribution"):
    distribution = result.result.get(distribution_key)
    config = _distribution_configs.get(getattr(distribution, "distribution_id", None))
    if config is not None:
        result.result[distribution_key] = _DistributionAsSent(distribution, copy.deepcopy(config))
    return result


def _remembering(original, parameter: str):
    def handler(self):
        sent = _with_aws_defaults(self._get_param(parameter, {}))
        result = original(self)
        _distribution_configs[result.result["Distribution"].distribution_id] = sent
        return _as_sent(result)

    return handler


def _answering_as_sent(original):
    def handler(self):
        return _as_sent(original(self))

    return handler


def _get_distribution_config(self):
    result = _ORIGINAL_GET_CONFIG(self)
    config = _distribution_configs.get(self._get_param("Id"))
    if config is not None:
        result.result["DistributionConfig"] = copy.deepcopy(config)
    return result


def _delete_distribution(self):
    result = _ORIGINAL_DELETE(self)
    _distribution_configs.pop(self._get_param("Id"), None)
    return result


_ORIGINAL_GET_CONFIG = cloudfront_responses.CloudFrontResponse.get_distribution_config
_ORIGINAL_DELETE = cloudfront_responses.CloudFrontResponse.delete_distribution


def _logging_config(function_name: str, sent: dict | None) -> dict:
    config = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{function_name}"}
    config.update({k: v for k, v in (sent or {}).items() if v})
    if config["LogFormat"] == "JSON":
        config.setdefault("ApplicationLogLevel", "INFO")
        config.setdefault("SystemLogLevel", "INFO")
    else:
        config.pop("ApplicationLogLevel", None)
        config.pop("SystemLogLevel", None)
    return config


_lambda_init = LambdaFunction.__init__
_lambda_get_configuration = LambdaFunction.get_configuration
_lambda_update_configuration = LambdaFunction.update_configuration


def _lambda_init_with_logging(self, account_id, spec, *args, **kwargs):
    _lambda_init(self, account_id, spec, *args, **kwargs)
    self.depoxy_logging_config = _logging_config(self.function_name, spec.get("LoggingConfig"))


def _lambda_configuration_with_logging(self, *args, **kwargs):
    config = _lambda_get_configuration(self, *args, **kwargs)
    config["LoggingConfig"] = dict(getattr(self, "depoxy_logging_config", None) or _logging_config(self.function_name, None))
    return config


def _lambda_update_with_logging(self, config_updates):
    if "LoggingConfig" in config_updates:
        current = getattr(self, "depoxy_logging_config", None) or {}
        self.depoxy_logging_config = _logging_config(self.function_name, {**current, **config_updates["LoggingConfig"]})
    return _lambda_update_configuration(self, config_updates)


_bucket_set_lifecycle = FakeBucket.set_lifecycle
_bucket_delete_lifecycle = FakeBucket.delete_lifecycle
_s3_get_bucket_lifecycle = S3Response.get_bucket_lifecycle


def _set_lifecycle_as_sent(self, rules):
    sent = copy.deepcopy(rules)
    _bucket_set_lifecycle(self, rules)
    self.depoxy_lifecycle_rules = sent


def _delete_lifecycle_as_sent(self):
    _bucket_delete_lifecycle(self)
    self.depoxy_lifecycle_rules = None


def _get_bucket_lifecycle_as_sent(self):
    status, headers, body = _s3_get_bucket_lifecycle(self)
    rules = getattr(self.backend.get_bucket(self.bucket_name), "depoxy_lifecycle_rules", None)
    if status != 200 or not rules:
        return status, headers, body
    document = {"LifecycleConfiguration": {"@xmlns": S3_XMLNS, "Rule": rules}}
    return status, headers, xmltodict.unparse(document)


def install() -> None:
    responses = cloudfront_responses.CloudFrontResponse
    responses.create_distribution = _remembering(responses.create_distribution, "DistributionConfig")
    responses.create_distribution_with_tags = _remembering(responses.create_distribution_with_tags,
                                                           "DistributionConfigWithTags.DistributionConfig")
    responses.update_distribution = _remembering(responses.update_distribution, "DistributionConfig")
    responses.get_distribution = _answering_as_sent(responses.get_distribution)
    responses.get_distribution_config = _get_distribution_config
    responses.delete_distribution = _delete_distribution
    LambdaFunction.__init__ = _lambda_init_with_logging
    LambdaFunction.get_configuration = _lambda_configuration_with_logging
    LambdaFunction.update_configuration = _lambda_update_with_logging
    FakeBucket.set_lifecycle = _set_lifecycle_as_sent
    FakeBucket.delete_lifecycle = _delete_lifecycle_as_sent
    S3Response.get_bucket_lifecycle = _get_bucket_lifecycle_as_sent
