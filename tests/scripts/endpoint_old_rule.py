"""How often the runtime's old endpoint rule was wrong: the figure in README.md's "Endpoints".

    target/moto-venv/bin/python tests/scripts/endpoint_old_rule.py target/botocore-1.44.5/botocore/data

For every model of an extracted botocore `data` folder (the on-demand tests extract the wheel
there) and a few regions, compares `https://{endpointPrefix}.{region}.amazonaws.com` (`.com.cn`
in China), signed for the region and the model's signing name, with what botocore's own
`EndpointProvider` gives for that region with default settings. Prints, per region, how many
models differ (URL, signing region or signing name) and how many give no endpoint without
parameters of their own.
"""

import glob
import json
import os
import sys

from botocore.endpoint_provider import EndpointProvider


def main():
    data = sys.argv[1]
    partitions = json.load(open(os.path.join(data, "partitions.json")))
    for region in ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"]:
        total = differ = refused = 0
        for rules_path in sorted(glob.glob(os.path.join(data, "*/*/endpoint-rule-set-1.json"))):
            model_path = rules_path.replace("endpoint-rule-set-1.json", "service-2.json")
            if not os.path.exists(model_path):
                continue
            metadata = json.load(open(model_path))["metadata"]
            prefix = metadata["endpointPrefix"]
            signing_name = metadata.get("signingName", prefix)
            rules = json.load(open(rules_path))
            params = {"Region": region, "UseFIPS": False, "UseDualStack": False}
            params = {name: value for name, value in params.items() if name in rules["parameters"]}
            total += 1
            try:
                endpoint = EndpointProvider(rules, partitions).resolve_endpoint(**params)
            except Exception:
                refused += 1
                continue
            suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
            sigv4 = [s for s in endpoint.properties.get("authSchemes", []) if s.get("name") == "sigv4"]
            scheme = sigv4[0] if sigv4 else {}
            if (
                endpoint.url.rstrip("/") != f"https://{prefix}.{region}.{suffix}"
                or scheme.get("signingRegion", region) != region
                or scheme.get("signingName", signing_name) != signing_name
            ):
                differ += 1
        print(f"{region}: {differ} of {total} models differ, {refused} give no endpoint without parameters of their own")


if __name__ == "__main__":
    main()
