"""Checks HTTP responses against Confluent's official OpenAPI specs
(../shared/reference/confluent-cloud/openapi/, or GUREUM_OPENAPI_DIR). Missing specs fail loudly."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = Path(os.environ.get("GUREUM_OPENAPI_DIR", ROOT.parent / "shared/reference/confluent-cloud/openapi"))

# Which official spec governs which path prefix.
SPECS = [
    ("/org/v2/", "org-v2.yaml"),
    ("/cmk/v2/", "cmk-v2.yaml"),
    ("/iam/v2/api-keys", "apikeys-v2.yaml"),
    ("/iam/v2/", "iam-v2.yaml"),
    ("/kafka/v3/", "kafka-rest-v3.yaml"),
    ("/v2/metrics/", "metrics-v2.yaml"),
]


class Contract:
    def __init__(self, specs: dict):
        self.specs = specs  # file name -> parsed dict
        self.apis = {}
        self.checked = 0

    @classmethod
    def load(cls):
        missing = [f for _, f in SPECS if not (SPEC_DIR / f).is_file()]
        if missing:
            pytest.fail(f"OpenAPI specs not found in {SPEC_DIR}: {missing}. The contract tests need them "
                        "(set GUREUM_OPENAPI_DIR); they never pass without checking.", pytrace=False)
        return cls({f: yaml.safe_load((SPEC_DIR / f).read_text()) for _, f in SPECS})

    def _api(self, spec_file: str, base: str) -> OpenAPI:
        if (spec_file, base) not in self.apis:
            spec = dict(self.specs[spec_file])
            spec["servers"] = [{"url": base}]  # the sandbox's address instead of Confluent's
            self.apis[(spec_file, base)] = OpenAPI.from_dict(spec)
        return self.apis[(spec_file, base)]

    def validate(self, resp):
        url = urlsplit(resp.request.url)
        spec_file = next((f for prefix, f in SPECS if url.path.startswith(prefix)), None)
        assert spec_file, f"no spec covers {url.path}"
        api = self._api(spec_file, f"{url.scheme}://{url.netloc}")
        api.validate_response(RequestsOpenAPIRequest(resp.request), RequestsOpenAPIResponse(resp))
        self.checked += 1
