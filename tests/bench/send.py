#!/usr/bin/env python3
"""Benchmark (not a test): Gureum's bulk send vs kcat, and Gureum's warm single send vs a bare
rdkafka send, on the same sandbox cluster in the same run (1 KB records, acks=all).

    cargo build --release --ignore-rust-version -p gureum-sandbox && cargo build --release --ignore-rust-version -p gureum-kafka --example send_bench
    apt-get install kcat   # Debian's kcat; it runs on the confluent-kafka wheel's librdkafka 2.16
    tests/with-keyring.sh tests/.venv/bin/python tests/bench/send.py [records]

kcat gets the same producer settings as Gureum's bulk path (acks=all, idempotence on) and
reads the records from a file, one per line."""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests/sandbox"))
import requests  # noqa: E402

from conftest import SandboxProcess  # noqa: E402

RECORDS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
SIZE = 1024
BENCH = ROOT / "target/release/examples/send_bench"


def kcat_env():
    """Debian's kcat links librdkafka 2.0.2, which nisshi refuses; point it at the wheel's 2.16."""
    import confluent_kafka

    libs = glob.glob(str(Path(confluent_kafka.__file__).parent.parent / "confluent_kafka.libs/librdkafka-*.so.1"))
    if not libs:
        sys.exit("no librdkafka in the confluent-kafka wheel")
    d = tempfile.mkdtemp()
    os.symlink(libs[0], os.path.join(d, "librdkafka.so.1"))
    return {**os.environ, "LD_LIBRARY_PATH": d}, confluent_kafka.libversion()[0]


def main():
    if not BENCH.is_file():
        sys.exit(f"{BENCH} is missing: cargo build --release --ignore-rust-version -p gureum-kafka --example send_bench")
    if not shutil.which("kcat"):
        sys.exit("kcat is missing: apt-get install kcat")
    data = Path(tempfile.mkdtemp()) / "data"
    data.mkdir()
    sb = SandboxProcess(data, f"gureum-bench-{os.getpid()}").start()
    try:
        cloud = (sb.key, sb.secret)
        env = requests.post(sb.url + "/org/v2/environments", json={"display_name": "bench"}, auth=cloud).json()
        c = requests.post(sb.url + "/cmk/v2/clusters", auth=cloud, json={"spec": {
            "display_name": "bench", "availability": "SINGLE_ZONE", "cloud": "AWS", "region": "us-east-1",
            "config": {"kind": "Standard"}, "environment": {"id": env["id"]}}}).json()
        while c["status"]["phase"] != "PROVISIONED":
            time.sleep(0.1)
            c = requests.get(f"{sb.url}/cmk/v2/clusters/{c['id']}", params={"environment": env["id"]}, auth=cloud).json()
        sa = requests.post(sb.url + "/iam/v2/service-accounts", json={"display_name": "bench"}, auth=cloud).json()
        key = requests.post(sb.url + "/iam/v2/api-keys", auth=cloud, json={"spec": {
            "display_name": "bench", "owner": {"id": sa["id"]}, "resource": {"id": c["id"], "environment": env["id"]}}}).json()
        kauth = (key["id"], key["spec"]["secret"])
        for t in ("gureum", "kcat"):
            r = requests.post(f"{c['spec']['http_endpoint']}/kafka/v3/clusters/{c['id']}/topics", auth=kauth,
                              json={"topic_name": f"bench.{t}", "partitions_count": 6})
            assert r.status_code == 201, r.text
        bootstrap = c["spec"]["kafka_bootstrap_endpoint"].removeprefix("SASL_SSL://")
        ca = sb.ready["ca_file"]

        out = subprocess.run([str(BENCH)], capture_output=True, text=True, check=True, env={
            **os.environ, "GUREUM_BENCH_BOOTSTRAP": bootstrap, "GUREUM_BENCH_KEY": key["id"],
            "GUREUM_BENCH_SECRET": key["spec"]["secret"], "GUREUM_BENCH_CA": ca,
            "GUREUM_BENCH_TOPIC": "bench.gureum", "GUREUM_BENCH_RECORDS": str(RECORDS), "GUREUM_BENCH_SIZE": str(SIZE),
            "RUST_LOG": "warn"})
        ours = json.loads(out.stdout.strip().splitlines()[-1])

        lines = Path(tempfile.mkdtemp()) / "records.txt"
        lines.write_bytes((b"x" * SIZE + b"\n") * RECORDS)  # kcat sends each line without its newline
        kenv, libversion = kcat_env()
        args = ["kcat", "-b", bootstrap, "-X", "security.protocol=SASL_SSL", "-X", "sasl.mechanisms=PLAIN",
                "-X", f"sasl.username={key['id']}", "-X", f"sasl.password={key['spec']['secret']}",
                "-X", f"ssl.ca.location={ca}", "-X", "acks=all", "-X", "enable.idempotence=true",
                "-t", "bench.kcat", "-P", "-l", str(lines)]
        t0 = time.monotonic()
        subprocess.run(args, check=True, env=kenv, capture_output=True)
        kcat_secs = time.monotonic() - t0
        kcat_rps = RECORDS / kcat_secs
        # kcat's wall time includes its start-up and connecting; Gureum's run time starts at its
        # producer's creation, which includes connecting too.
        report = {
            "records": RECORDS, "record_bytes": SIZE,
            "gureum_bulk": ours["bulk"],
            "kcat": {"seconds": kcat_secs, "records_per_sec": kcat_rps, "librdkafka": libversion},
            "throughput_ratio_gureum_over_kcat": ours["bulk"]["records_per_sec"] / kcat_rps,
            "single_send_ms": ours["single_send_ms"],
        }
        print(json.dumps(report, indent=2))
    finally:
        sb.stop()


if __name__ == "__main__":
    main()
