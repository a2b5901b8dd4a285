#!/usr/bin/env python3
"""Writes the generated benchmark inputs of this directory, deterministically.

    python3 tests/bench-inputs/generate.py          # rewrite the files
    python3 tests/bench-inputs/generate.py --check  # exit 1 if a committed file differs

Standard library only; no randomness but a fixed linear congruential generator, so every run on
every Python 3 writes the same bytes. The files (see README.md):

- dynamodb-query-response.json: a DynamoDB `Query` response body, 100 items with nested
  attribute values of every type.
- cloudwatch-get-metric-data-response.json and .cbor: one CloudWatch `GetMetricData` response,
  as awsJson 1.0 and as smithy-rpc-v2-cbor bodies carrying the same values.
- cloudwatch-put-metric-data-input.json: a `PutMetricData` input (awsJson wire names).
- s3-list-objects-v2-response.xml: an S3 `ListObjectsV2` response body, 1,000 keys.
"""

import base64
import json
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


class Lcg:
    """Knuth's MMIX generator: the same numbers on every platform and Python version."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return self.state >> 33

    def below(self, n):
        return self.next() % n

    def pick(self, items):
        return items[self.below(len(items))]

    def bytes(self, n):
        return bytes(self.below(256) for _ in range(n))

    def decimal(self, whole, places):
        """A decimal number as text, like DynamoDB's `N`: up to `whole` before the point."""
        integer = self.below(whole)
        if places == 0:
            return str(integer)
        fraction = self.below(10**places)
        return f"{integer}.{fraction:0{places}d}".rstrip("0").rstrip(".")


def compact(value):
    """JSON as AWS services send it: no spaces, UTF-8."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ---- DynamoDB Query ----------------------------------------------------------------------------

CITIES = ["Seattle", "Dublin", "Frankfurt", "Tokyo", "São Paulo", "Sydney", "Montréal", "Zürich"]
STREETS = ["Pine St", "Harbour Rd", "Lindenallee", "Sakura-dori", "Rua Augusta", "George St"]
TAGS = ["express", "gift", "fragile", "priority", "bulk", "returnable", "oversize", "insured"]
STATUSES = ["PLACED", "PAID", "PACKED", "SHIPPED", "DELIVERED"]
COLORS = ["red", "green", "blue", "black", "white", "teal"]
SIZES = ["XS", "S", "M", "L", "XL"]


def s(text):
    return {"S": text}


def n(text):
    return {"N": text}


def b(raw):
    return {"B": base64.b64encode(raw).decode("ascii")}


def order_item(rng, index):
    """One item of an `Orders` table: a customer's order with its lines, shipping and history."""
    customer = 4242
    placed = 1_700_000_000 + index * 3_607 + rng.below(600)
    order_id = "%08x-%04x-4%03x-%04x-%012x" % (
        rng.next(), rng.below(1 << 16), rng.below(1 << 12),
        0x8000 | rng.below(1 << 14), rng.next() * 4096 + rng.below(4096),
    )
    lines = []
    for line in range(1 + rng.below(4)):
        options = {"color": s(rng.pick(COLORS)), "size": s(rng.pick(SIZES))}
        if rng.below(3) == 0:
            options["engraving"] = s(f"For {rng.pick(CITIES)} with love")
        entry = {
            "sku": s(f"SKU-{rng.below(100000):05d}"),
            "qty": n(str(1 + rng.below(5))),
            "price": n(rng.decimal(500, 2)),
            "options": {"M": options},
            "discounts": {"L": [n(rng.decimal(30, 2)) for _ in range(rng.below(3))]},
        }
        if line == 0:
            entry["backordered"] = {"BOOL": rng.below(5) == 0}
        lines.append({"M": entry})
    history = [
        {"M": {"status": s(status), "at": n(str(placed + step * 5_400 + rng.below(900)))}}
        for step, status in enumerate(STATUSES[: 1 + rng.below(len(STATUSES))])
    ]
    tags = sorted({rng.pick(TAGS) for _ in range(1 + rng.below(4))})
    item = {
        "pk": s(f"CUSTOMER#{customer:06d}"),
        "sk": s(f"ORDER#{placed}#{index:05d}"),
        "orderId": s(order_id),
        "status": s(history[-1]["M"]["status"]["S"]),
        "total": n(rng.decimal(2000, 2)),
        "itemCount": n(str(len(lines))),
        "paid": {"BOOL": rng.below(4) != 0},
        "giftMessage": {"NULL": True} if rng.below(2) else s("Happy birthday! " * (1 + rng.below(3))),
        "tags": {"SS": tags},
        "ratings": {"NS": sorted({rng.decimal(5, 1) for _ in range(1 + rng.below(4))})},
        "receiptThumbnail": b(rng.bytes(48 + rng.below(48))),
        "shipping": {
            "M": {
                "method": s(rng.pick(["ground", "air", "pickup"])),
                "insured": {"BOOL": rng.below(2) == 0},
                "address": {
                    "M": {
                        "street": s(f"{1 + rng.below(999)} {rng.pick(STREETS)}"),
                        "city": s(rng.pick(CITIES)),
                        "postcode": s(f"{rng.below(100000):05d}"),
                        "geo": {
                            "M": {
                                "lat": n(f"{rng.below(180) - 90}.{rng.below(1000000):06d}"),
                                "lon": n(f"{rng.below(360) - 180}.{rng.below(1000000):06d}"),
                            }
                        },
                    }
                },
                "trackingNumbers": {
                    "L": [s(f"1Z{rng.below(10**9):09d}{rng.below(10**7):07d}") for _ in range(rng.below(3))]
                },
            }
        },
        "lines": {"L": lines},
        "history": {"L": history},
        "metadata": {
            "M": {
                "source": s(rng.pick(["web", "ios", "android", "partner-api"])),
                "schemaVersion": n("7"),
                "flags": {"SS": sorted({rng.pick(["ab-test-12", "beta", "vip", "migrated"]) for _ in range(2)})},
                "checksums": {"BS": [base64.b64encode(rng.bytes(16)).decode("ascii") for _ in range(2)]},
                "notes": {"NULL": True},
            }
        },
    }
    return item


def dynamodb_query_response():
    rng = Lcg(20240501)
    items = [order_item(rng, index) for index in range(100)]
    last = items[-1]
    return compact(
        {
            "Items": items,
            "Count": len(items),
            "ScannedCount": 117,
            "LastEvaluatedKey": {"pk": last["pk"], "sk": last["sk"]},
            "ConsumedCapacity": {"TableName": "Orders", "CapacityUnits": 24.5},
        }
    )


# ---- CloudWatch GetMetricData and PutMetricData -------------------------------------------------

GET_METRIC_DATA_QUERIES = [
    ("cpu_avg", "CPUUtilization (Average)", 100.0),
    ("cpu_max", "CPUUtilization (Maximum)", 100.0),
    ("net_in", "NetworkIn (Sum)", 5.0e8),
    ("net_out", "NetworkOut (Sum)", 2.5e8),
    ("disk_read", "EBSReadOps (Sum)", 40000.0),
    ("latency_p99", "TargetResponseTime (p99)", 2.5),
]
POINTS = 360  # six hours at one-minute periods
END = 1_714_560_000  # 2024-05-01T10:40:00Z, on a minute


def metric_values(rng, scale):
    """`POINTS` doubles of the kind CloudWatch returns (averages: not short decimals)."""
    return [scale * (rng.below(1 << 30) / float(1 << 30)) for _ in range(POINTS)]


def get_metric_data_response():
    """(json body, cbor body) of one response: newest timestamp first, as CloudWatch orders them."""
    rng = Lcg(20240502)
    results = []
    for query_id, label, scale in GET_METRIC_DATA_QUERIES:
        results.append(
            {
                "Id": query_id,
                "Label": label,
                "Timestamps": [END - 60 * i for i in range(POINTS)],
                "Values": metric_values(rng, scale),
                "StatusCode": "Complete",
            }
        )
    body = {
        "MetricDataResults": results,
        "NextToken": "eyJ0b2tlbiI6IjAwMDEyMzQ1Njc4OWFiY2RlZiJ9",
        "Messages": [],
    }
    return compact(body), cbor(body, timestamp_keys={"Timestamps"})


def put_metric_data_input():
    rng = Lcg(20240503)
    data = []
    for i in range(20):
        data.append(
            {
                "MetricName": ["CheckoutLatency", "CartSize", "PaymentErrors", "OrderValue"][i % 4],
                "Dimensions": [
                    {"Name": "Service", "Value": "checkout"},
                    {"Name": "Region", "Value": ["us-east-1", "eu-west-1", "ap-northeast-1"][i % 3]},
                    {"Name": "Host", "Value": f"ip-10-0-{i}-{rng.below(256)}.ec2.internal"},
                ],
                "Timestamp": END - 60 * (i // 4),
                "Values": [round(rng.below(1 << 24) / 1024.0, 3) for _ in range(100)],
                "Counts": [float(1 + rng.below(20)) for _ in range(100)],
                "Unit": ["Milliseconds", "Count", "Count", "None"][i % 4],
                "StorageResolution": 60,
            }
        )
    return compact({"Namespace": "Shop/Checkout", "MetricData": data})


# ---- S3 ListObjectsV2 ---------------------------------------------------------------------------

# Key parts with the characters S3 keys carry in practice: spaces, `+`, `%`, `&`, `<`, `>`,
# quotes, `=`, `#`, `?`, brackets, non-ASCII letters (two, three and four UTF-8 bytes) and a tab
# (which S3 writes as a character reference).
KEY_PREFIXES = [
    "photos/2024/", "photos/2025/", "invoices/", "logs/app/", "users/", "backups/db/",
    "exports/reports/", "media/vidéos/", "docs/日本語/", "tmp/",
]
KEY_WORDS = [
    "summary", "Résumé", "naïve café", "Zürich office", "São Paulo", "東京タワー", "서울",
    "party 🎉", "Q1+Q2", "100% done", "A&B <draft>", "it's \"final\"", "a=b&c=d", "#tag",
    "what?", "[copy] (1)", "tab\there", "~backup", "space  twice", "plus+minus-",
]
KEY_EXTENSIONS = [".jpg", ".pdf", ".csv.gz", ".json", ".log", ".tar.zst", "", ".txt", ".mp4"]
STORAGE_CLASSES = (
    ["STANDARD"] * 12 + ["STANDARD_IA"] * 3 + ["INTELLIGENT_TIERING"] * 2
    + ["GLACIER_IR", "GLACIER", "DEEP_ARCHIVE", "ONEZONE_IA"]
)
OWNERS = [
    ("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "ops-team"),
    ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", None),
    ("5f2a3b1c9d8e7f60a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1", "Ana Sørensen"),
]


def xml_text(text):
    """Text as S3 escapes it: the five XML entities, and control characters as references."""
    out = []
    for c in text:
        if c in "&<>\"'":
            out.append({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}[c])
        elif ord(c) < 0x20:
            out.append(f"&#{ord(c)};")
        else:
            out.append(c)
    return "".join(out)


def s3_object(rng, key):
    """One `<Contents>`: Key, LastModified, ETag, ChecksumAlgorithm/ChecksumType when the object
    has a checksum, Size, Owner on about a third, StorageClass; in S3's order."""
    size = rng.below(1 << (1 + rng.below(34)))
    year = 2023 + rng.below(3)
    modified = "%04d-%02d-%02dT%02d:%02d:%02d.000Z" % (
        year, 1 + rng.below(12), 1 + rng.below(28), rng.below(24), rng.below(60), rng.below(60),
    )
    digest = "%08x%08x%08x%08x" % (rng.next(), rng.next(), rng.next(), rng.next())
    parts = -(-size // (8 << 20))
    multipart = size > (16 << 20)
    etag = f'"{digest}-{parts}"' if multipart else f'"{digest}"'
    xml = [f"<Contents><Key>{xml_text(key)}</Key><LastModified>{modified}</LastModified>"]
    xml.append(f"<ETag>{xml_text(etag)}</ETag>")
    checksum = rng.below(4)
    if year == 2025 or checksum == 0:
        algorithm, kind = rng.pick(
            [("CRC64NVME", "FULL_OBJECT"), ("CRC32", "COMPOSITE" if multipart else "FULL_OBJECT"),
             ("CRC32C", "FULL_OBJECT"), ("SHA256", "COMPOSITE" if multipart else "FULL_OBJECT")]
        )
        xml.append(f"<ChecksumAlgorithm>{algorithm}</ChecksumAlgorithm><ChecksumType>{kind}</ChecksumType>")
    xml.append(f"<Size>{size}</Size>")
    if rng.below(3) == 0:
        owner, name = rng.pick(OWNERS)
        xml.append(f"<Owner><ID>{owner}</ID>")
        if name is not None:
            xml.append(f"<DisplayName>{xml_text(name)}</DisplayName>")
        xml.append("</Owner>")
    xml.append(f"<StorageClass>{rng.pick(STORAGE_CLASSES)}</StorageClass></Contents>")
    return "".join(xml)


def s3_list_objects_v2_response():
    """A first page of 1,000 keys, as S3 sends it: compact after the declaration, keys in UTF-8
    byte order, no `EncodingType` (keys raw, XML-escaped), truncated with a continuation token."""
    rng = Lcg(20060301)
    keys = set()
    while len(keys) < 1000:
        prefix = rng.pick(KEY_PREFIXES)
        if prefix == "users/":
            prefix += f"{rng.pick(['ana', 'björn', 'chloé', 'dmitri', '李'])}/"
        words = " - ".join(rng.pick(KEY_WORDS) for _ in range(1 + rng.below(2)))
        keys.add(f"{prefix}{words} {rng.below(100000):05d}{rng.pick(KEY_EXTENSIONS)}")
    keys = sorted(keys, key=lambda k: k.encode("utf-8"))
    token = base64.b64encode(rng.bytes(60)).decode("ascii")
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        "<Name>example-media-archive</Name><Prefix></Prefix>"
        f"<NextContinuationToken>{xml_text(token)}</NextContinuationToken>"
        "<KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>"
    )
    body = "".join(s3_object(rng, key) for key in keys)
    return (head + body + "</ListBucketResult>").encode("utf-8")


# ---- A small CBOR writer (RFC 8949), enough for the bodies above ------------------------------


def cbor_head(major, value):
    if value < 24:
        return bytes([major << 5 | value])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, value)
    raise ValueError(value)


def cbor(value, timestamp_keys=frozenset(), timestamp=False):
    """Definite lengths; floats as float64 and timestamps as tag 1 around a float64, as
    smithy-rs writes them; integers in their shortest form."""
    if timestamp:
        return cbor_head(6, 1) + b"\xfb" + struct.pack(">d", float(value))
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return cbor_head(0, value) if value >= 0 else cbor_head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return cbor_head(3, len(raw)) + raw
    if isinstance(value, list):
        return cbor_head(4, len(value)) + b"".join(
            cbor(item, timestamp_keys, timestamp=False) for item in value
        )
    if isinstance(value, dict):
        out = cbor_head(5, len(value))
        for key, item in value.items():
            out += cbor(key)
            if key in timestamp_keys:
                out += cbor_head(4, len(item)) + b"".join(cbor(t, timestamp=True) for t in item)
            else:
                out += cbor(item, timestamp_keys)
        return out
    raise TypeError(type(value))


def outputs():
    json_body, cbor_body = get_metric_data_response()
    return {
        "dynamodb-query-response.json": dynamodb_query_response(),
        "cloudwatch-get-metric-data-response.json": json_body,
        "cloudwatch-get-metric-data-response.cbor": cbor_body,
        "cloudwatch-put-metric-data-input.json": put_metric_data_input(),
        "s3-list-objects-v2-response.xml": s3_list_objects_v2_response(),
    }


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for name, data in outputs().items():
        path = HERE / name
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(name)
        else:
            path.write_bytes(data)
            print(f"{name}: {len(data)} bytes")
    if stale:
        print("stale (run tests/bench-inputs/generate.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
