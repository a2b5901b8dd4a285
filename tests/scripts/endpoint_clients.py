"""Where botocore's clients send: the oracle of tests/endpoint_rules.rs's client test.

    AWS_DATA_PATH=service-json python endpoint_clients.py CASES_JSON

CASES_JSON is a list of [service, operation, params, region, use_fips, use_dualstack]. With
`AWS_DATA_PATH` at the workspace's `service-json/`, botocore reads the committed models and
endpoint rule sets. Each call is stopped before it is sent; prints one JSON line per case: the
URL it would go to and the region and service of its signature's scope, or botocore's error.
"""

import json
import sys

import botocore.session
from botocore.config import Config


class Stop(Exception):
    pass


def main():
    cases = json.loads(sys.argv[1])
    session = botocore.session.get_session()
    session.set_credentials("AKIDEXAMPLE", "secret")
    clients = {}
    for service, operation, params, region, fips, dualstack in cases:
        key = (service, region, fips, dualstack)
        if key not in clients:
            config = Config(
                region_name=region, use_fips_endpoint=fips, use_dualstack_endpoint=dualstack,
                retries={"max_attempts": 0},
            )
            client = session.create_client(service, config=config)
            seen = {}

            def stop(request, seen=seen, **_):
                seen["url"] = request.url
                auth = request.headers.get("Authorization", b"")
                auth = auth.decode() if isinstance(auth, bytes) else auth
                scope = auth.split("Credential=")[1].split(",")[0].split("/") if "Credential=" in auth else []
                seen["scope"] = scope[2:4]
                raise Stop()

            client.meta.events.register("before-send", stop)
            clients[key] = (client, seen)
        client, seen = clients[key]
        seen.clear()
        method = getattr(client, botocore.xform_name(operation))
        try:
            method(**params)
            answer = {"error": "sent without stopping"}
        except Stop:
            answer = {"url": seen["url"], "scope": seen["scope"]}
        except Exception as error:  # botocore found no endpoint (or refused the call)
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps({"case": [service, operation, params, region, fips, dualstack], **answer}))


if __name__ == "__main__":
    main()
