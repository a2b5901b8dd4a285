#!/usr/bin/env python3
"""Replace the models in this folder with those of a botocore wheel on PyPI.

    python3 service-json/refresh.py 1.44.5

Downloads `botocore==VERSION` (no dependencies) and, for every service folder listed in
SERVICES, copies `service-2.json`, `paginators-1.json`, `waiters-2.json`,
`endpoint-rule-set-1.json` (gunzipped where the wheel compresses them) and the `*.sdk-extras.json`
files botocore merges into them, byte for byte, and `partitions.json` into the runtime's `data/`;
then records the version in README.md and runtime/data/README.md. Then
regenerate the crates with `cargo run -p codegen --release -- generate` (and the commands in
README.md for the other crates).
"""

import gzip
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent

# The models the workspace generates crates from or tests with, as `<service>/<api version>`.
SERVICES = [
    "connect/2017-08-08",
    "dynamodb/2012-08-10",
    "sqs/2012-11-05",
    "secretsmanager/2017-10-17",
    "cloudwatch/2010-08-01",
    "cloudwatchomni/2025-01-01",
    "iam/2010-05-08",
    "sts/2011-06-15",
    "ec2/2016-11-15",
    "s3/2006-03-01",
    "glacier/2012-06-01",
    "rds/2014-10-31",
    "logs/2014-03-28",
    "sdb/2009-04-15",
]

FILES = [
    ("service-2.json", True),
    ("paginators-1.json", False),
    ("waiters-2.json", False),
    ("endpoint-rule-set-1.json", False),
    ("service-2.sdk-extras.json", False),
    ("paginators-1.sdk-extras.json", False),
]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    version = sys.argv[1]
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--dest", scratch, f"botocore=={version}"],
            check=True,
        )
        wheel = next(pathlib.Path(scratch).glob("botocore-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            names = set(archive.namelist())
            for service in SERVICES:
                for file, required in FILES:
                    inside = f"botocore/data/{service}/{file}"
                    target = HERE / service / file
                    if inside in names:
                        data = archive.read(inside)
                    elif inside + ".gz" in names:
                        data = gzip.decompress(archive.read(inside + ".gz"))
                    elif required:
                        print(f"error: {inside} is not in {wheel.name}", file=sys.stderr)
                        return 1
                    else:
                        target.unlink(missing_ok=True)
                        continue
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            partitions = HERE.parent / "runtime" / "data" / "partitions.json"
            partitions.write_bytes(archive.read("botocore/data/partitions.json"))
    for readme in [HERE / "README.md", HERE.parent / "runtime" / "data" / "README.md"]:
        text = re.sub(r"botocore `[^`]+`", f"botocore `{version}`", readme.read_text())
        readme.write_text(text)
    print(f"service-json/ now holds botocore {version}'s models of {', '.join(SERVICES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
