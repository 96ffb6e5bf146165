"""Every route the sandbox serves, called once on its success path (each response is validated
against Confluent's OpenAPI contract by the Api fixture), plus the lifecycle's clean failures."""

import socket
import subprocess

from conftest import BINARY, wait_provisioned


def test_environment_lifecycle(cloud):
    env = cloud.post("/org/v2/environments", json={"display_name": "lifecycle", "stream_governance_config": {"package": "ADVANCED"}})
    assert env.status_code == 201
    eid = env.json()["id"]
    assert cloud.get(f"/org/v2/environments/{eid}").json()["stream_governance_config"]["package"] == "ADVANCED"
    renamed = cloud.patch(f"/org/v2/environments/{eid}", json={"display_name": "lifecycle-2"})
    assert renamed.status_code == 200 and renamed.json()["display_name"] == "lifecycle-2"
    assert cloud.delete(f"/org/v2/environments/{eid}").status_code == 204
    assert cloud.get(f"/org/v2/environments/{eid}").status_code == 403


def test_cluster_rename_resize_and_delete(cloud, world):
    env = world["env"]["id"]
    c = cloud.post("/cmk/v2/clusters", json={"spec": {"display_name": "big", "availability": "MULTI_ZONE", "cloud": "AWS", "region": "eu-west-1",
                                                      "config": {"kind": "Dedicated", "cku": 2}, "environment": {"id": env}}})
    assert c.status_code == 202 and c.headers["Location"].endswith(c.json()["id"])
    cid = c.json()["id"]
    wait_provisioned(cloud, cid, env)
    listed = cloud.get("/cmk/v2/clusters", params={"environment": env}).json()
    assert cid in {x["id"] for x in listed["data"]}
    r = cloud.patch(f"/cmk/v2/clusters/{cid}", json={"spec": {"display_name": "bigger", "config": {"kind": "Dedicated", "cku": 3}, "environment": {"id": env}}})
    assert r.status_code == 200, r.text
    assert r.json()["spec"]["display_name"] == "bigger" and r.json()["spec"]["config"]["cku"] == 3
    assert cloud.patch(f"/cmk/v2/clusters/{cid}", json={"spec": {"config": {"kind": "Basic"}, "environment": {"id": env}}}).status_code == 400
    assert cloud.patch(f"/cmk/v2/clusters/{cid}", json={"spec": {"region": "us-east-1", "environment": {"id": env}}}).status_code == 400
    assert cloud.delete(f"/cmk/v2/clusters/{cid}", params={"environment": env}).status_code == 204


def test_service_account_and_key_lifecycle(cloud, world):
    sa = cloud.post("/iam/v2/service-accounts", json={"display_name": "lifecycle-sa"}).json()
    assert cloud.get(f"/iam/v2/service-accounts/{sa['id']}").json()["display_name"] == "lifecycle-sa"
    assert cloud.patch(f"/iam/v2/service-accounts/{sa['id']}", json={"description": "updated"}).json()["description"] == "updated"
    assert cloud.post("/iam/v2/service-accounts", json={"display_name": "lifecycle-sa"}).status_code == 409
    key = cloud.post("/iam/v2/api-keys", json={"spec": {"display_name": "k", "owner": {"id": sa["id"]}, "resource": {"id": world["cluster"]["id"]}}}).json()
    assert len(key["spec"]["secret"]) == 64
    by_owner = cloud.get("/iam/v2/api-keys", params={"spec.owner": sa["id"]}).json()["data"]
    assert [k["id"] for k in by_owner] == [key["id"]]
    by_resource = cloud.get("/iam/v2/api-keys", params={"spec.resource": world["cluster"]["id"]}).json()["data"]
    assert key["id"] in {k["id"] for k in by_resource}
    assert cloud.patch(f"/iam/v2/api-keys/{key['id']}", json={"spec": {"description": "renamed"}}).json()["spec"]["description"] == "renamed"
    # Deleting the owner deletes its keys, as on Confluent Cloud.
    assert cloud.delete(f"/iam/v2/service-accounts/{sa['id']}").status_code == 204
    assert cloud.get(f"/iam/v2/api-keys/{key['id']}").status_code == 403


def test_kafka_rest_cluster_and_partition(world):
    cid, kafka = world["cluster"]["id"], world["kafka"]
    assert kafka.get(f"/kafka/v3/clusters/{cid}").json()["cluster_id"] == cid
    kafka.post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": "one-part", "partitions_count": 2})
    assert kafka.get(f"/kafka/v3/clusters/{cid}/topics/one-part/partitions/1").json()["partition_id"] == 1
    assert kafka.get(f"/kafka/v3/clusters/{cid}/topics/one-part/partitions/7").status_code == 404
    dry = kafka.post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": "dry", "validate_only": True})
    assert dry.status_code == 200
    assert kafka.get(f"/kafka/v3/clusters/{cid}/topics/dry").status_code == 404


def test_all_topic_configs_in_one_call(world):
    cid, kafka = world["cluster"]["id"], world["kafka"]
    for name, retention in (("cfg-a", "3600000"), ("cfg-b", None)):
        body = {"topic_name": name, "partitions_count": 1}
        if retention:
            body["configs"] = [{"name": "retention.ms", "value": retention}]
        assert kafka.post(f"/kafka/v3/clusters/{cid}/topics", json=body).status_code == 201
    listed = kafka.get(f"/kafka/v3/clusters/{cid}/topics/-/configs").json()
    assert listed["kind"] == "KafkaTopicConfigList"
    value = {(c["topic_name"], c["name"]): (c["value"], c["is_default"]) for c in listed["data"]}
    assert value[("cfg-a", "retention.ms")] == ("3600000", False)
    assert value[("cfg-b", "retention.ms")] == ("604800000", True)


def test_busy_port_and_bad_data_dir_are_clean_errors(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = subprocess.run([str(BINARY), "serve", "--data-dir", str(tmp_path / "d"), "--port", str(port), "--keyring-service", "gureum-test-port"],
                           capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and f"could not listen on 127.0.0.1:{port}" in r.stderr, r.stderr
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    r = subprocess.run([str(BINARY), "serve", "--data-dir", str(blocker / "sandbox"), "--keyring-service", "gureum-test-dir"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and "data folder" in r.stderr and "unusable" in r.stderr, r.stderr
