"""Bad REST input gets Confluent-shaped errors: `{"errors":[…]}` on the control plane and
`{"error_code", "message"}` on Kafka REST v3, with the status codes the real API uses."""

import pytest
import requests


def cloud_error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    err = r.json()["errors"][0]
    assert err["status"] == str(status) and err["detail"]
    return err


def kafka_error(r, status: int, code: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error_code"] == code, body
    return body["message"]


@pytest.mark.parametrize("name", ["", ".", "..", "has space", "ü-topic", "x" * 250])
def test_invalid_topic_names(world, name):
    r = world["kafka"].post(f"/kafka/v3/clusters/{world['cluster']['id']}/topics", json={"topic_name": name, "partitions_count": 1})
    assert "invalid" in kafka_error(r, 400, 40002).lower() or "illegal" in r.json()["message"]


def test_longest_valid_topic_name_is_fine(world):
    cid = world["cluster"]["id"]
    r = world["kafka"].post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": "y" * 249, "partitions_count": 1})
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("count,needle", [(0, "larger than 0"), (-3, "larger than 0"), (100_000, "limit of 1500")])
def test_bad_partition_counts(world, count, needle):
    r = world["kafka"].post(f"/kafka/v3/clusters/{world['cluster']['id']}/topics", json={"topic_name": f"p{count}", "partitions_count": count})
    assert needle in kafka_error(r, 400, 40002)


def test_duplicate_topic(world):
    cid, kafka = world["cluster"]["id"], world["kafka"]
    assert kafka.post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": "twice"}).status_code == 201
    assert kafka_error(kafka.post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": "twice"}), 400, 40002) == "Topic 'twice' already exists."


def test_replication_factor_other_than_three(world):
    r = world["kafka"].post(f"/kafka/v3/clusters/{world['cluster']['id']}/topics", json={"topic_name": "rf1", "replication_factor": 1})
    assert "POLICY_VIOLATION" in kafka_error(r, 400, 40002)


def test_unknown_ids(cloud, world):
    env = world["env"]["id"]
    assert cloud_error(cloud.get("/org/v2/environments/env-nope00"), 404)["code"] == "resource_not_found"
    cloud_error(cloud.get("/cmk/v2/clusters/lkc-nope00", params={"environment": env}), 404)
    cloud_error(cloud.get("/iam/v2/service-accounts/sa-nope00"), 404)
    cloud_error(cloud.get("/iam/v2/api-keys/NOPE000000000000"), 404)
    # A cluster key is for its own cluster only: another cluster id is an authentication failure.
    kafka_error(world["kafka"].get("/kafka/v3/clusters/lkc-nope00/topics"), 401, 40101)
    kafka_error(world["kafka"].get(f"/kafka/v3/clusters/{world['cluster']['id']}/topics/never"), 404, 40403)


def test_missing_and_wrong_auth(cloud, world):
    anon = cloud.with_auth(None)
    r = anon.get("/org/v2/environments")
    cloud_error(r, 401)
    assert r.headers["WWW-Authenticate"].startswith("Basic")
    cloud_error(cloud.with_auth((cloud.auth[0], "wrong")).get("/org/v2/environments"), 401)
    # Wrong key kind: a cluster key on the control plane, the Cloud key on Kafka REST.
    cloud_error(world["kafka"].get("/org/v2/environments"), 401)
    kafka_error(cloud.get(f"/kafka/v3/clusters/{world['cluster']['id']}/topics"), 401, 40101)


def test_cluster_input_errors(cloud, world):
    env = world["env"]["id"]

    def create(**spec):
        base = {"display_name": "c", "availability": "SINGLE_ZONE", "cloud": "AWS", "region": "us-east-1",
                "config": {"kind": "Basic"}, "environment": {"id": env}}
        return cloud.post("/cmk/v2/clusters", json={"spec": {**base, **spec}})

    assert cloud_error(create(display_name=""), 400)["source"]["pointer"] == "/spec/display_name"
    assert "1 to 64" in cloud_error(create(display_name="n" * 65), 400)["detail"]
    assert "Unknown region 'mars-1'" in cloud_error(create(region="mars-1"), 400)["detail"]
    cloud_error(create(cloud="IBM"), 400)
    assert "cku" in cloud_error(create(config={"kind": "Dedicated"}), 400)["detail"]
    assert "single-zone" in cloud_error(create(availability="MULTI_ZONE"), 400)["detail"]
    cloud_error(create(environment={"id": "env-nope00"}), 400)
    cloud_error(cloud.get("/cmk/v2/clusters"), 400)  # environment filter is required


def test_malformed_bodies(cloud, world):
    world["kafka"].post(f"/kafka/v3/clusters/{world['cluster']['id']}/topics", json={"topic_name": "bad-records"})
    r = cloud.post("/org/v2/environments", data="{not json", headers={"Content-Type": "application/json"})
    assert "not valid JSON" in cloud_error(r, 400)["detail"]
    cloud_error(cloud.post("/org/v2/environments", json={}), 400)
    r = world["kafka"].post(f"/kafka/v3/clusters/{world['cluster']['id']}/topics/bad-records/records", data="")
    assert kafka_error(r, 422, 422).startswith("Payload error")
    r = world["kafka"].post(f"/kafka/v3/clusters/{world['cluster']['id']}/topics/bad-records/records", json={"value": {"type": "BINARY", "data": "%%%"}})
    assert "not a base64 string" in kafka_error(r, 400, 400)


def test_deleted_cluster_reads_as_forbidden(cloud, world):
    env = world["env"]["id"]
    c = cloud.post("/cmk/v2/clusters", json={"spec": {"display_name": "short-lived", "availability": "SINGLE_ZONE", "cloud": "AZURE",
                                                       "region": "koreacentral", "config": {"kind": "Basic"}, "environment": {"id": env}}}).json()
    assert cloud.delete(f"/cmk/v2/clusters/{c['id']}", params={"environment": env}).status_code == 204
    assert cloud_error(cloud.get(f"/cmk/v2/clusters/{c['id']}", params={"environment": env}), 403)["code"] == "forbidden_access"


def test_environment_with_clusters_cannot_be_deleted(cloud, world):
    cloud_error(cloud.delete(f"/org/v2/environments/{world['env']['id']}"), 409)


def test_pagination_follows_next_to_the_end(cloud):
    made = {cloud.post("/iam/v2/service-accounts", json={"display_name": f"page-{i}"}).json()["id"] for i in range(23)}
    seen, url, pages = [], "/iam/v2/service-accounts?page_size=5", 0
    while url:
        body = cloud.get(url).json()
        seen += [sa["id"] for sa in body["data"]]
        url, pages = body["metadata"].get("next"), pages + 1
        assert pages < 20
    assert made <= set(seen) and len(seen) == len(set(seen)) == body["metadata"]["total_size"]
    cloud_error(cloud.get("/iam/v2/service-accounts", params={"page_token": "garbage"}), 400)


def test_no_secret_in_reads(cloud, world):
    k = cloud.get(f"/iam/v2/api-keys/{world['key']['id']}").json()
    assert k["spec"]["secret"] == ""
    listing = requests.get(cloud.base + "/iam/v2/api-keys", auth=cloud.auth, timeout=10).text
    assert world["key"]["spec"]["secret"] not in listing
