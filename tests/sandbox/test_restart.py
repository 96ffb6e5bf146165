"""Restart the sandbox: environments, clusters, keys, topics and records are all still there, and
clients find the cluster at the same bootstrap endpoint."""

import os

from confluent_kafka import Producer

from conftest import Api, SandboxProcess, client_config, service_key, wait_provisioned
from test_cloud_flow import consume_all


def test_everything_survives_a_restart(tmp_path, contract):
    data = tmp_path / "data"
    data.mkdir()
    sb = SandboxProcess(data, f"gureum-test-restart-{os.getpid()}").start()
    try:
        cloud = Api(sb.url, (sb.key, sb.secret), contract)
        env = cloud.post("/org/v2/environments", json={"display_name": "durable"}).json()
        c = cloud.post("/cmk/v2/clusters", json={"spec": {"display_name": "durable", "availability": "SINGLE_ZONE", "cloud": "AWS",
                                                          "region": "us-west-2", "config": {"kind": "Standard"}, "environment": {"id": env["id"]}}}).json()
        c, _ = wait_provisioned(cloud, c["id"], env["id"])
        sa = cloud.post("/iam/v2/service-accounts", json={"display_name": "durable-app"}).json()
        key = service_key(cloud, c, env["id"], sa["id"])
        kafka = cloud.with_auth((key["id"], key["spec"]["secret"]))
        assert kafka.post(f"/kafka/v3/clusters/{c['id']}/topics", json={"topic_name": "kept", "partitions_count": 3}).status_code == 201
        cfg = client_config(c, key["id"], key["spec"]["secret"], sb.ready["ca_file"])
        p = Producer({**cfg, "acks": "all"})
        for i in range(500):
            p.produce("kept", value=f"r{i}".encode())
        assert p.flush(30) == 0
        old_url, old_key = sb.url, sb.key
    finally:
        sb.stop()

    sb = SandboxProcess(data, sb.service).start()
    try:
        cloud = Api(sb.url, (sb.key, sb.secret), contract)
        assert sb.key == old_key, "the org's Cloud API key survives"
        assert [e["id"] for e in cloud.get("/org/v2/environments").json()["data"]] == [env["id"]]
        c2, _ = wait_provisioned(cloud, c["id"], env["id"])
        assert c2["spec"]["kafka_bootstrap_endpoint"] == c["spec"]["kafka_bootstrap_endpoint"]
        assert cloud.get(f"/iam/v2/service-accounts/{sa['id']}").status_code == 200
        assert cloud.get(f"/iam/v2/api-keys/{key['id']}").status_code == 200
        kafka = cloud.with_auth((key["id"], key["spec"]["secret"]))
        assert kafka.get(f"/kafka/v3/clusters/{c['id']}/topics/kept").json()["partitions_count"] == 3
        got = consume_all(client_config(c2, key["id"], key["spec"]["secret"], sb.ready["ca_file"]), "kept", 500)
        assert sorted(m.value() for m in got) == sorted(f"r{i}".encode() for i in range(500))
        print(f"\nREST URL before/after restart: {old_url} / {sb.url}")
    finally:
        sb.stop()
