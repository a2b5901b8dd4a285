"""botocore's answers for endpoint rule sets: the oracle of tests/endpoint_rules.rs.

    python endpoint_oracle.py PARTITIONS CASES_PER_FILE RULESET...

For each rule set, a grid of the built-in parameters (regions of every partition, FIPS,
dual-stack, with and without an endpoint set), then CASES_PER_FILE random choices of every
parameter from pools of telling values (bucket names and ARNs of every kind, account ids,
URLs with and without a port, path or query), seeded by the file's name so that every run asks
the same. Prints one JSON line per case: the file, the parameters, and botocore's endpoint
(URL, properties, headers) or its error.
"""

import itertools
import json
import random
import sys

from botocore.endpoint_provider import EndpointProvider
from botocore.exceptions import EndpointResolutionError

REGIONS = [
    "us-east-1", "eu-west-1", "us-west-2", "ap-southeast-7", "mx-central-1", "cn-north-1",
    "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1",
    "eusc-de-east-1", "aws-global", "us-east-1-fips", "fips-us-gov-west-1", "mars-west-1",
    "not a region",
]
ENDPOINTS = [
    "https://example.com", "http://127.0.0.1:5000", "https://example.com:8443/base/path/",
    "http://[::1]:8080", "https://example.com/?query=1", "https://bucket.vpce-1a2b.s3.us-east-1.vpce.amazonaws.com",
]
ARNS = [
    "arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint",
    "arn:aws:s3:us-west-2:123456789012:accesspoint/myendpoint",
    "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint:myendpoint",
    "arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/mybanner",
    "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/accesspoint/reports",
    "arn:aws:s3-outposts:us-west-2:123456789012:outpost:op-01234567890123456:bucket:mybucket",
    "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap",
    "arn:aws:kinesis:us-east-1:123456789012:stream/mystream",
    "arn:aws:kinesis:us-east-1:123456789012:stream/mystream/consumer/c:1",
    "arn:aws:dynamodb:us-east-1:123456789012:table/mytable",
    "arn:aws:events:us-east-1:123456789012:event-bus/mybus",
    "arn:aws:cloudfront::123456789012:key-value-store/my-kvs",
    "arn:aws:s3:::",
    "arn:aws",
    "not-an-arn",
]
STRINGS = [
    "my-bucket", "my.bucket", "MyBucket", "ab", "192.168.0.1", "bucket--usw2-az1--x-s3",
    "mybucket--use1-az4--x-s3", "123456789012", "abc", "", "value", "a b/c", "op-01234567890123456",
    "-bad-label", "x" * 70,
] + ARNS
BOOLEANS = [True, False, None]


def pool(name, spec):
    kind = spec["type"].lower()
    builtin = spec.get("builtIn")
    if kind == "boolean":
        return BOOLEANS
    if kind == "stringarray":
        return [None, [], ["arn:aws:dynamodb:us-east-1:123456789012:table/mytable"], ["a", "b"]]
    if builtin == "AWS::Region":
        return REGIONS + [None]
    if builtin == "SDK::Endpoint":
        return ENDPOINTS + [None, None, None]
    if builtin == "AWS::Auth::AccountIdEndpointMode":
        return ["preferred", "disabled", "required", None]
    return STRINGS + [None, None]


def answer(provider, params):
    # botocore takes a stringArray as a tuple (and caches by the parameters, which must hash).
    params = {name: tuple(value) if isinstance(value, list) else value for name, value in params.items()}
    try:
        endpoint = provider.resolve_endpoint(**params)
    except EndpointResolutionError as error:
        return {"error": str(error.kwargs.get("msg", error))}
    except Exception as error:  # botocore's own failure (a KeyError, a TypeError)
        return {"crash": f"{type(error).__name__}: {error}"}
    return {"url": endpoint.url, "properties": endpoint.properties, "headers": endpoint.headers}


def main():
    partitions = json.load(open(sys.argv[1]))
    per_file = int(sys.argv[2])
    for path in sys.argv[3:]:
        rules = json.load(open(path))
        provider = EndpointProvider(rules, partitions)
        specs = rules["parameters"]
        cases = []
        grid = {
            name: pool(name, spec)
            for name, spec in specs.items()
            if spec.get("builtIn") in ("AWS::Region", "AWS::UseFIPS", "AWS::UseDualStack")
        }
        names = sorted(grid)
        for values in itertools.product(*(grid[name] for name in names)):
            cases.append(dict(zip(names, values)))
        for endpoint in ENDPOINTS:
            cases.append({"Region": "us-east-1", "Endpoint": endpoint})
        chooser = random.Random(path.rsplit("/", 3)[-3])
        for _ in range(per_file):
            cases.append({name: chooser.choice(pool(name, spec)) for name, spec in specs.items()})
        for case in cases:
            params = {name: value for name, value in case.items() if value is not None and name in specs}
            print(json.dumps({"file": path, "params": params, **answer(provider, params)}))


if __name__ == "__main__":
    main()
