"""Checks HTTP responses against Confluent's official OpenAPI specs. They are not in this repository
(docs/confluent-cloud-api.md says where they come from): the tests look in GUREUM_OPENAPI_DIR, else in
../shared/reference/confluent-cloud/openapi/ beside the clone.

Missing specs: under CI=true the run fails loudly. Otherwise the contract check of the paths they cover
is skipped — said once per run (a warning naming the missing files and where we looked) and in the
run's summary — while every other assertion of every test still runs."""

import os
import warnings
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


class ContractNotChecked(UserWarning):
    """Responses were not validated against Confluent's contract: its specs are missing."""


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


class Contract:
    def __init__(self, specs: dict, missing: list[str] = ()):
        self.specs = specs  # file name -> parsed dict (only the specs found)
        self.missing = list(missing)  # spec files not found in SPEC_DIR
        self.apis = {}
        self.checked = 0
        self.unchecked = 0  # responses whose spec is missing

    @classmethod
    def load(cls):
        missing = [f for _, f in SPECS if not (SPEC_DIR / f).is_file()]
        if missing and in_ci():
            pytest.fail(f"OpenAPI specs not found in {SPEC_DIR}: {missing}. Under CI=true the contract check "
                        "must run: set GUREUM_OPENAPI_DIR to a folder holding Confluent's specs "
                        "(docs/confluent-cloud-api.md says where to get them).", pytrace=False)
        contract = cls({f: yaml.safe_load((SPEC_DIR / f).read_text()) for _, f in SPECS if f not in missing}, missing)
        if missing:
            warnings.warn(ContractNotChecked(contract.skip_note(done=False)), stacklevel=2)
        return contract

    def skip_note(self, done: bool = True) -> str | None:
        """What is (or, once the run is `done`, was) not checked, in one paragraph; None when every
        spec was there."""
        if not self.missing:
            return None
        if done:
            n = self.unchecked
            what = f"{n} response{' was' if n == 1 else 's were'} NOT validated on the paths they cover"
            rest = "every other assertion ran"
        else:
            what, rest = "responses on the paths they cover are NOT validated", "every other assertion still runs"
        return (f"Contract check SKIPPED for {', '.join(self.missing)}: not found in {SPEC_DIR}; {what} "
                f"against Confluent's official contract; {rest}. Set GUREUM_OPENAPI_DIR to a folder with the "
                "specs (docs/confluent-cloud-api.md); under CI=true this fails.")

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
        if spec_file not in self.specs:
            self.unchecked += 1
            return
        api = self._api(spec_file, f"{url.scheme}://{url.netloc}")
        api.validate_response(RequestsOpenAPIRequest(resp.request), RequestsOpenAPIResponse(resp))
        self.checked += 1
