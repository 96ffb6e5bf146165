"""What the sandbox leaves behind: no broker outlives a killed sandbox, and after a session of
right and wrong logins — a secret typed as the username among them — no secret is in any file
of its data folder or its log, raw or base64."""

import base64
import os
import signal
import subprocess
import time

import requests
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient

from conftest import Api, SandboxProcess, admin_key, client_config, provisioned_cluster


def broker_pids(cluster_id):
    out = subprocess.run(["pgrep", "-f", "--", f"--cluster-id {cluster_id}"], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def own_sandbox(tmp_path, contract, name):
    data = tmp_path / "data"
    data.mkdir()
    sb = SandboxProcess(data, f"gureum-test-{name}-{time.time_ns()}").start()
    cloud = Api(sb.url, (sb.key, sb.secret), contract)
    env = cloud.post("/org/v2/environments", json={"display_name": name}).json()
    cluster = provisioned_cluster(cloud, env["id"], name, {"kind": "Dedicated", "cku": 2})
    return sb, cloud, env, cluster


def test_no_broker_outlives_a_killed_sandbox(tmp_path, contract):
    sb, _, _, cluster = own_sandbox(tmp_path, contract, "killed")
    assert len(broker_pids(cluster["id"])) == 2
    os.kill(sb.proc.pid, signal.SIGKILL)
    sb.proc.wait(10)
    deadline = time.monotonic() + 10
    while broker_pids(cluster["id"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert broker_pids(cluster["id"]) == [], "every broker ended with the sandbox"


def test_no_secret_is_written_anywhere(tmp_path, contract):
    sb, cloud, env, cluster = own_sandbox(tmp_path, contract, "hygiene")
    try:
        admin = admin_key(cloud, cluster["id"], env["id"])
        key, secret = admin.auth
        ca = sb.ready["ca_file"]
        # Right logins: a producer and Kafka REST.
        ok = Producer(client_config(cluster, key, secret, ca))
        ok.produce("none-such", b"x")
        ok.flush(5)
        assert admin.get(f"/kafka/v3/clusters/{cluster['id']}/topics").status_code == 200
        # Wrong ones: a wrong secret, the secret as the username (a few times over), a made-up key.
        for user, password in [(key, "wrong-" + secret[:10]), (secret, secret), (secret, "x"), ("NOSUCHKEY0000000", secret)]:
            for _ in range(2):
                try:
                    AdminClient({**client_config(cluster, user, password, ca), "socket.timeout.ms": 1500}).list_topics(timeout=1.5)
                except Exception:
                    pass
            requests.get(f"{sb.url}/kafka/v3/clusters/{cluster['id']}/topics", auth=(user, password), timeout=10)
            requests.get(f"{sb.url}/org/v2/environments", auth=(user, password), timeout=10)
    finally:
        sb.stop()

    secrets = [secret, sb.secret]
    needles = []
    for s in secrets:
        needles += [s.encode(), base64.b64encode(s.encode()), base64.b64encode(f"{key}:{s}".encode()),
                    base64.b64encode(f"{s}:{s}".encode())]
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "sandbox.log" for p in files) and any(p.name == "broker.log" for p in files)
    assert "refused SASL/PLAIN for key (unknown key)" in (tmp_path / "sandbox.log").read_text()
    for p in files:
        data = p.read_bytes()
        for n in needles:
            assert n not in data, f"a secret is in {p}"
