#!/usr/bin/env python3
"""Replace the Connect model in this folder with the one from a botocore wheel on PyPI.

    python3 service-json/refresh.py 1.44.5

Downloads `botocore==VERSION` (no dependencies), copies `connect/2017-08-08/service-2.json`
(gunzipped) and `paginators-1.json` byte for byte, and records the version in README.md.
Then regenerate the crate with `cargo run -p codegen --release -- generate`.
"""

import gzip
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
MODEL_DIR = "connect/2017-08-08"


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
            for file in ("service-2.json", "paginators-1.json"):
                inside = f"botocore/data/{MODEL_DIR}/{file}"
                if inside in names:
                    data = archive.read(inside)
                elif inside + ".gz" in names:
                    data = gzip.decompress(archive.read(inside + ".gz"))
                else:
                    print(f"error: {inside} is not in {wheel.name}", file=sys.stderr)
                    return 1
                (HERE / MODEL_DIR / file).write_bytes(data)
    readme = HERE / "README.md"
    text = re.sub(r"botocore `[^`]+`", f"botocore `{version}`", readme.read_text(), count=1)
    readme.write_text(text)
    print(f"service-json/{MODEL_DIR} now holds botocore {version}'s Connect model")
    return 0


if __name__ == "__main__":
    sys.exit(main())
