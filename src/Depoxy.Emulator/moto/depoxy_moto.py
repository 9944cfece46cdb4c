"""moto_server with the emulator's named stand-ins for what moto 5.2 lacks (see README, "The emulator").

Started instead of `moto_server`, with the same arguments. Each stand-in is the smallest thing that lets the
committed Terraform run unchanged against moto:

- CloudFront Functions stand-in: moto has no CloudFront Functions API (POST /2020-05-31/function answers 404), so
  Create/Describe/Get/Publish/Update/Delete of functions are served here, in memory, in CloudFront's XML shapes.
- Bucket policy condition stand-in: moto applies a bucket policy's Deny statements but ignores `Bool` and `Null`
  conditions, which turns tf/ci's TLS-only and If-None-Match statements into "deny everything". Here a statement
  applies only when its conditions hold: `aws:SecureTransport` counts as true (the emulator stands in for AWS's TLS
  endpoint on loopback HTTP), and `Null` on `s3:if-none-match` reads the request's If-None-Match header.
- Read-back stand-in (read_back.py): CloudFront, Lambda and S3 lifecycle reads answer in AWS's shape.
"""

import base64
import datetime
import json
import sys
import threading
import uuid
from xml.sax.saxutils import escape

import xmltodict
from flask import has_request_context, request

import moto.cloudfront.urls as cloudfront_urls
import moto.server
from moto.s3.models import FakeBucket

import read_back

ACCOUNT_ID = "123456789012"
XMLNS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"

_functions: dict = {}
_lock = threading.Lock()


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _summary(function: dict, stage: str) -> str:
    version = function[stage]
    return (
        f'<FunctionSummary xmlns="{XMLNS}"><Name>{escape(function["name"])}</Name>'
        f"<Status>{'DEPLOYED' if function['LIVE'] else 'UNPUBLISHED'}</Status>"
        f"<FunctionConfig><Comment>{escape(version['comment'])}</Comment><Runtime>{version['runtime']}</Runtime></FunctionConfig>"
        f"<FunctionMetadata><FunctionARN>arn:aws:cloudfront::{ACCOUNT_ID}:function/{escape(function['name'])}</FunctionARN>"
        f"<Stage>{stage}</Stage><CreatedTime>{function['created']}</CreatedTime>"
        f"<LastModifiedTime>{version['modified']}</LastModifiedTime></FunctionMetadata></FunctionSummary>"
    )


def _error(status: int, code: str, message: str) -> tuple:
    body = f'<ErrorResponse xmlns="{XMLNS}"><Error><Type>Sender</Type><Code>{code}</Code><Message>{escape(message)}</Message></Error></ErrorResponse>'
    return status, {"Content-Type": "text/xml"}, body


def _xml(body: str, status: int = 200, headers: dict | None = None) -> tuple:
    return status, {"Content-Type": "text/xml", **(headers or {})}, body


def _version(config: dict, code: str) -> dict:
    return {
        "comment": config.get("Comment") or "",
        "runtime": config.get("Runtime") or "cloudfront-js-2.0",
        "code": base64.b64decode(code) if code else b"",
        "etag": uuid.uuid4().hex[:14].upper(),
        "modified": _now(),
    }


def _function_request(*_args) -> tuple:
    parts = request.path.rstrip("/").split("/")
    name = parts[3] if len(parts) > 3 else None
    action = parts[4] if len(parts) > 4 else None
    stage = request.args.get("Stage", "DEVELOPMENT")
    with _lock:
        if name is None and request.method == "POST":
            document = xmltodict.parse(request.data)["CreateFunctionRequest"]
            name = document["Name"]
            if name in _functions:
                return _error(409, "FunctionAlreadyExists", f"function {name} already exists")
            function = {"name": name, "created": _now(), "LIVE": None,
                        "DEVELOPMENT": _version(document.get("FunctionConfig") or {}, document.get("FunctionCode") or "")}
            _functions[name] = function
            return _xml(_summary(function, "DEVELOPMENT"), 201,
                        {"ETag": function["DEVELOPMENT"]["etag"], "Location": f"https://cloudfront.amazonaws.com/2020-05-31/function/{name}"})
        if name is None:
            return _error(405, "NotImplemented", "ListFunctions is not part of the stand-in")
        function = _functions.get(name)
        if function is None or (stage == "LIVE" and function["LIVE"] is None and request.method == "GET"):
            return _error(404, "NoSuchFunctionExists", f"function {name} does not exist")
        if request.method == "GET" and action == "describe":
            return _xml(_summary(function, stage), headers={"ETag": function[stage]["etag"]})
        if request.method == "GET":
            version = function[stage]
            return 200, {"Content-Type": "application/octet-stream", "ETag": version["etag"]}, version["code"]
        if request.headers.get("If-Match") != function["DEVELOPMENT"]["etag"]:
            return _error(412, "PreconditionFailed", "If-Match does not match the function's ETag")
        if request.method == "POST" and action == "publish":
            function["LIVE"] = dict(function["DEVELOPMENT"])
            return _xml(_summary(function, "LIVE"))
        if request.method == "PUT":
            document = xmltodict.parse(request.data)["UpdateFunctionRequest"]
            function["DEVELOPMENT"] = _version(document.get("FunctionConfig") or {}, document.get("FunctionCode") or "")
            return _xml(_summary(function, "DEVELOPMENT"), headers={"ETtag": function["DEVELOPMENT"]["etag"]})
        if request.method == "DELETE":
            del _functions[name]
            return 204, {}, ""
    return _error(400, "InvalidRequest", f"{request.method} {request.path} is not part of the stand-in")


def _condition_holds(operator: str, key: str, expected) -> bool | None:
    """True or False for the conditions the stand-in evaluates; None for those it leaves to moto."""
    expected_values = [str(v).lower() for v in (expected if isinstance(expected, list) else [expected])]
    key = key.lower()
    if operator == "Bool" and key == "aws:securetransport":
        return "true" in expected_values
    if operator == "Null" and key == "s3:if-none-match":
        header_absent = not (has_request_context() and request.headers.get("If-None-Match"))
        return ("true" if header_absent else "false") in expected_values
    return None


def _applicable_policy(policy: bytes) -> bytes:
    document = json.loads(policy)
    statements = document.get("Statement", [])
    kept = []
    for statement in statements if isinstance(statements, list) else [statements]:
        conditions = statement.get("Condition") or {}
        left = {}
        applies = True
        for operator, pairs in conditions.items():
            for key, expected in pairs.items():
                verdict = _condition_holds(operator, key, expected)
                if verdict is None:
                    left.setdefault(operator, {})[key] = expected
                elif not verdict:
                    applies = False
        if applies:
            kept.append({**statement, "Condition": left} if left else {k: v for k, v in statement.items() if k != "Condition"})
    return json.dumps({**document, "Statement": kept}).encode()


_moto_get_permission = FakeBucket.get_permission


def _get_permission(self, action: str, resource: str):
    if self.policy is None:
        return _moto_get_permission(self, action, resource)
    original = self.policy
    try:
        self.policy = _applicable_policy(original)
        return _moto_get_permission(self, action, resource)
    finally:
        self.policy = original


def install_stand_ins() -> None:
    read_back.install()
    FakeBucket.get_permission = _get_permission
    for pattern in ("{0}/2020-05-31/function$", "{0}/2020-05-31/function/(?P<name>[^/]+)$",
                    "{0}/2020-05-31/function/(?P<name>[^/]+)/(?P<action>describe|publish)$"):
        cloudfront_urls.url_paths[pattern] = _function_request


if __name__ == "__main__":
    install_stand_ins()
    moto.server.main(sys.argv[1:])
