"""Issue 5: the sandbox meters its clusters for real and serves it as Confluent's Metrics API v2
(`POST /v2/metrics/cloud/query`, `GET /v2/metrics/cloud/descriptors/metrics`), with Cloud API key
auth, the official shapes (every response checked against metrics-v2.yaml) and its errors."""

import datetime as dt
import time

import pytest
import requests
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import Api, SandboxProcess, client_config, org_user, provisioned_cluster, service_key

M = "io.confluent.kafka.server/"
VALUE = b"v" * 100
# A v2 record with no key, no headers and a 100-byte value is at most 115 bytes (varint
# lengths, deltas); a batch adds a 61-byte header.
RECORD_MAX, BATCH = 115, 61


def iso(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def metered(cloud, world):
    """A cluster of its own (so nothing else's connections or traffic show), two topics, a key."""
    env = world["env"]["id"]
    cluster = provisioned_cluster(cloud, env, "metered", {"kind": "Standard"}, ("GCP", "us-central1"))
    key = service_key(cloud, cluster, env, world["sa"]["id"], "metered")
    conf = client_config(cluster, key["id"], key["spec"]["secret"], world["ca"])
    admin = AdminClient(conf)
    for f in admin.create_topics([NewTopic("clicks", 3, 3), NewTopic("views", 2, 3)]).values():
        f.result(timeout=15)
    return {"id": cluster["id"], "conf": conf}


def query(cloud, cluster_id, metric, **extra):
    body = {"aggregations": [{"metric": M + metric}],
            "filter": {"field": "resource.kafka.id", "op": "EQ", "value": cluster_id},
            "granularity": "ALL", "intervals": ["PT1H/now+1m"], **extra}
    r = cloud.post("/v2/metrics/cloud/query", json=body)
    assert r.status_code == 200, r.text
    return r.json()["data"]


def per_topic(cloud, cluster_id, metric):
    data = query(cloud, cluster_id, metric, group_by=["metric.topic"])
    return {p["metric.topic"]: p["value"] for p in data}


def produce(conf, topic, n):
    p = Producer({**conf, "acks": "all", "linger.ms": 20, "compression.type": "none"})
    for _ in range(n):
        p.produce(topic, VALUE)
    assert p.flush(30) == 0


def test_records_and_bytes_per_topic_are_what_was_produced_and_consumed(cloud, metered):
    cid, conf = metered["id"], metered["conf"]
    produce(conf, "clicks", 3000)
    produce(conf, "views", 1200)

    records = per_topic(cloud, cid, "received_records")
    assert records == {"clicks": 3000, "views": 1200}, records
    sent_bytes = per_topic(cloud, cid, "received_bytes")
    for topic, n in [("clicks", 3000), ("views", 1200)]:
        # The record batches' bytes: at least the values, at most values plus record and batch
        # overheads.
        assert n * len(VALUE) < sent_bytes[topic] <= n * RECORD_MAX + n * BATCH, (topic, sent_bytes[topic])

    # Per partition too: the partitions of a topic add up to it.
    parts = query(cloud, cid, "received_records", group_by=["metric.topic", "metric.partition"])
    assert sum(p["value"] for p in parts if p["metric.topic"] == "clicks") == 3000
    assert {p["metric.partition"] for p in parts if p["metric.topic"] == "clicks"} <= {"0", "1", "2"}

    # Read one topic back: what was sent to the consumer is metered as sent_*.
    c = Consumer({**conf, "group.id": "metered-reader", "enable.auto.commit": False})
    c.assign([TopicPartition("views", p, 0) for p in range(2)])
    got = 0
    deadline = time.monotonic() + 60
    while got < 1200 and time.monotonic() < deadline:
        got += sum(1 for m in c.consume(500, 1.0) if not m.error())
    c.close()
    assert got == 1200
    out = per_topic(cloud, cid, "sent_records")
    assert out.get("views", 0) >= 1200 and "clicks" not in out, out
    assert per_topic(cloud, cid, "sent_bytes")["views"] > 1200 * len(VALUE)

    # Requests by type: at least the produce and fetch requests those clients made.
    types = {p["metric.type"]: p["value"] for p in query(cloud, cid, "request_count", group_by=["metric.type"])}
    assert types.get("Produce", 0) >= 2 and types.get("Fetch", 0) >= 1 and types.get("Metadata", 0) >= 1, types


def test_retained_bytes_and_partitions_come_from_the_brokers(cloud, metered):
    cid, conf = metered["id"], metered["conf"]
    produce(conf, "views", 10)  # whatever ran before, views now holds at least this
    time.sleep(11)  # one sampling tick
    now = time.time()
    window = {"intervals": [f"{iso(now - 10)}/{iso(now + 1)}"]}
    retained = {p["metric.topic"]: p["value"] for p in query(cloud, cid, "retained_bytes", group_by=["metric.topic"], **window)}
    # Keys and values the storage holds: 100 bytes a record, no keys.
    assert retained["views"] % len(VALUE) == 0 and retained["views"] >= 10 * len(VALUE), retained
    assert query(cloud, cid, "partition_count", **window)[0]["value"] == 5  # clicks 3 + views 2


def test_the_connection_count_follows_clients(cloud, metered):
    cid, conf = metered["id"], metered["conf"]

    def connections_now():
        time.sleep(11)  # the gauge is sampled every 10 s
        now = time.time()
        data = query(cloud, cid, "active_connection_count", intervals=[f"{iso(now - 10)}/{iso(now + 1)}"])
        return data[0]["value"] if data else None

    before = connections_now()
    producers = [Producer({**conf, "acks": "all"}) for _ in range(3)]
    for p in producers:
        p.produce("clicks", b"x")
        assert p.flush(30) == 0
    during = connections_now()
    for p in producers:
        del p
    producers.clear()
    import gc
    gc.collect()
    after = connections_now()
    assert during >= before + 3, (before, during)
    assert after == before, (before, during, after)


def test_descriptors_list_the_metered_metrics(cloud):
    r = cloud.get("/v2/metrics/cloud/descriptors/metrics", params={"resource_type": "kafka"})
    assert r.status_code == 200, r.text
    names = {d["name"] for d in r.json()["data"]}
    for m in ["received_bytes", "sent_bytes", "received_records", "sent_records", "retained_bytes",
              "active_connection_count", "request_count", "partition_count"]:
        assert M + m in names
    retained = next(d for d in r.json()["data"] if d["name"] == M + "retained_bytes")
    assert retained["type"].startswith("GAUGE") and {l["key"] for l in retained["labels"]} == {"topic", "partition"}
    # Paged with an opaque token.
    first = cloud.get("/v2/metrics/cloud/descriptors/metrics", params={"page_size": 3}).json()
    token = first["meta"]["pagination"]["next_page_token"]
    second = cloud.get("/v2/metrics/cloud/descriptors/metrics", params={"page_size": 3, "page_token": token}).json()
    assert {d["name"] for d in first["data"]}.isdisjoint({d["name"] for d in second["data"]})


def metrics_error(r, status):
    assert r.status_code == status, r.text
    err = r.json()["errors"][0]
    assert err["status"] == str(status) and err["detail"], err
    return err["detail"]


VALID = {"aggregations": [{"metric": M + "received_bytes"}],
         "filter": {"field": "resource.kafka.id", "op": "EQ", "value": "lkc-x"},
         "granularity": "PT1M", "intervals": ["PT1H/now"]}


@pytest.mark.parametrize("change,needle", [
    ({"aggregations": [{"metric": M + "bytes_everywhere"}]}, "Unknown metric"),
    ({"filter": None}, "resource.kafka.id"),
    ({"filter": {"field": "metric.topic", "op": "EQ", "value": "t"}}, "resource.kafka.id"),
    ({"intervals": ["P1D/now"]}, "allows at most 6 hour"),
    ({"granularity": "PT5M", "intervals": ["P2D/now"]}, "allows at most 1 day"),
    ({"intervals": ["2026-13-45T99:00:00Z/PT1H"]}, "Invalid interval"),
    ({"intervals": ["yesterday/now"]}, "Invalid interval"),
    ({"intervals": ["PT1H/PT2H"]}, "Invalid interval"),
    ({"granularity": "PT2M"}, "Unsupported granularity"),
    ({"group_by": ["metric.colour"]}, "Invalid group_by"),
])
def test_bad_queries_get_the_official_error_shape(cloud, change, needle):
    body = {**VALID, **change}
    body = {k: v for k, v in body.items() if v is not None}
    assert needle in metrics_error(cloud.post("/v2/metrics/cloud/query", json=body), 400)


def test_metrics_need_a_cloud_key(cloud, world):
    r = cloud.with_auth(None).post("/v2/metrics/cloud/query", json=VALID)
    metrics_error(r, 401)
    # A cluster key is the wrong kind, as on Confluent Cloud.
    r = cloud.with_auth((world["key"]["id"], world["key"]["spec"]["secret"])).post("/v2/metrics/cloud/query", json=VALID)
    metrics_error(r, 401)


def test_more_than_60_requests_a_minute_get_429_with_retry_after(tmp_path, contract):
    # A sandbox of its own, so the other tests keep their budget.
    data = tmp_path / "data"
    data.mkdir()
    sb = SandboxProcess(data, f"gureum-test-rate-{time.time_ns()}").start()
    try:
        auth = (sb.key, sb.secret)
        statuses = []
        for _ in range(61):
            r = requests.get(sb.url + "/v2/metrics/cloud/descriptors/metrics", auth=auth, timeout=10)
            statuses.append(r.status_code)
        assert statuses[:60] == [200] * 60, statuses
        assert statuses[60] == 429
        contract.validate(r)
        assert 1 <= int(r.headers["Retry-After"]) <= 60
        assert "60 a minute" in r.json()["errors"][0]["detail"]
        # Credentials are checked first: a stranger is told 401, not given the key's 429…
        anon = requests.get(sb.url + "/v2/metrics/cloud/descriptors/metrics", auth=("NOPE", "x"), timeout=10)
        assert anon.status_code == 401
        # …and the limit is per key: another Cloud API key has its own minute.
        other = requests.post(sb.url + "/iam/v2/api-keys", auth=auth, timeout=10,
                              json={"spec": {"display_name": "second", "owner": {"id": org_user(Api(sb.url, auth, contract))}}}).json()
        r2 = requests.get(sb.url + "/v2/metrics/cloud/descriptors/metrics", auth=(other["id"], other["spec"]["secret"]), timeout=10)
        assert r2.status_code == 200, r2.text
    finally:
        sb.stop()
