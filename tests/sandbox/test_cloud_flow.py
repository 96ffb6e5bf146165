"""From nothing to records: the REST answers alone are enough to connect a librdkafka client over
SASL_SSL/PLAIN through the front door; records written over Kafka and over REST are one log."""

import base64
import uuid

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

from conftest import client_config

N = 10_000


def consume_all(cfg: dict, topic: str, expected: int, timeout: float = 60.0) -> list:
    """Reads `topic` from the beginning until `expected` records arrived (or the timeout)."""
    import time

    c = Consumer({**cfg, "group.id": f"g-{uuid.uuid4()}", "auto.offset.reset": "earliest", "enable.auto.commit": False})
    c.subscribe([topic])
    out, deadline = [], time.monotonic() + timeout
    try:
        while len(out) < expected and time.monotonic() < deadline:
            for m in c.consume(num_messages=1000, timeout=1.0):
                if m.error():
                    if m.error().code() == KafkaError._PARTITION_EOF:
                        continue
                    raise KafkaException(m.error())
                out.append(m)
    finally:
        c.close()
    return out


def test_from_nothing_to_ten_thousand_records(world, cloud):
    cluster, key, kafka = world["cluster"], world["key"], world["kafka"]
    cid = cluster["id"]
    assert cluster["spec"]["kafka_bootstrap_endpoint"].startswith("SASL_SSL://127.0.0.1:")
    assert world["provision_seconds"] < 30
    print(f"\ncluster create → PROVISIONED: {world['provision_seconds']:.2f} s")

    r = kafka.post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": "orders", "partitions_count": 6})
    assert r.status_code == 201, r.text
    topic = kafka.get(f"/kafka/v3/clusters/{cid}/topics/orders").json()
    assert topic["partitions_count"] == 6
    parts = kafka.get(f"/kafka/v3/clusters/{cid}/topics/orders/partitions").json()["data"]
    assert [p["partition_id"] for p in parts] == list(range(6))

    cfg = client_config(cluster, key["id"], key["spec"]["secret"], world["ca"])
    p = Producer({**cfg, "acks": "all", "enable.idempotence": True, "linger.ms": 5})
    delivered, errors = [], []
    for i in range(N):
        p.produce("orders", key=str(i).encode(), value=f"order-{i}".encode(),
                  on_delivery=lambda err, msg: errors.append(err) if err else delivered.append(msg.offset()))
        if i % 1000 == 0:
            p.poll(0)
    assert p.flush(60) == 0
    assert not errors and len(delivered) == N

    got = consume_all(cfg, "orders", N)
    values = sorted(int(m.value().decode().split("-")[1]) for m in got)
    assert values == list(range(N)), f"consumed {len(values)} of {N}"
    assert {m.partition() for m in got} == set(range(6)), "keys spread over all six partitions"


def test_rest_and_kafka_write_the_same_log(world):
    cluster, key, kafka = world["cluster"], world["key"], world["kafka"]
    cid = cluster["id"]
    assert kafka.post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": "mixed", "partitions_count": 1}).status_code == 201

    r = kafka.post(f"/kafka/v3/clusters/{cid}/topics/mixed/records", json={
        "partition_id": 0,
        "headers": [{"name": "source", "value": base64.b64encode(b"rest").decode()}],
        "key": {"type": "STRING", "data": "k1"},
        "value": {"type": "JSON", "data": {"hello": "rest"}},
    })
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["error_code"] == 200 and body["partition_id"] == 0 and body["offset"] == 0
    assert body["key"] == {"type": "STRING", "size": 2}

    cfg = client_config(cluster, key["id"], key["spec"]["secret"], world["ca"])
    p = Producer({**cfg, "acks": "all"})
    p.produce("mixed", key=b"k2", value=b'{"hello":"kafka"}', partition=0)
    assert p.flush(30) == 0

    r2 = kafka.post(f"/kafka/v3/clusters/{cid}/topics/mixed/records", json={"value": {"type": "BINARY", "data": base64.b64encode(b"third").decode()}})
    assert r2.json()["offset"] == 2, "REST sees the offset Kafka used"

    got = consume_all(cfg, "mixed", 3)
    assert [(m.offset(), m.value()) for m in got] == [(0, b'{"hello":"rest"}'), (1, b'{"hello":"kafka"}'), (2, b"third")]
    assert got[0].headers() == [("source", b"rest")]


def test_deleting_one_topic_leaves_the_others(world):
    cid, kafka = world["cluster"]["id"], world["kafka"]
    for name in ("keep-a", "drop-me", "keep-b"):
        assert kafka.post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": name, "partitions_count": 2}).status_code == 201
    assert kafka.delete(f"/kafka/v3/clusters/{cid}/topics/drop-me").status_code == 204
    names = {t["topic_name"] for t in kafka.get(f"/kafka/v3/clusters/{cid}/topics").json()["data"]}
    assert {"keep-a", "keep-b"} <= names and "drop-me" not in names
    assert kafka.get(f"/kafka/v3/clusters/{cid}/topics/drop-me").status_code == 404


def test_topic_configs_list_and_alter(world):
    cid, kafka = world["cluster"]["id"], world["kafka"]
    kafka.post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": "cfg", "partitions_count": 1,
                                                         "configs": [{"name": "cleanup.policy", "value": "compact"}]})
    configs = {c["name"]: c for c in kafka.get(f"/kafka/v3/clusters/{cid}/topics/cfg/configs").json()["data"]}
    assert configs["cleanup.policy"]["value"] == "compact" and not configs["cleanup.policy"]["is_default"]
    assert configs["retention.ms"]["value"] == "604800000" and configs["retention.ms"]["is_default"]
    r = kafka.post(f"/kafka/v3/clusters/{cid}/topics/cfg/configs:alter", json={"data": [{"name": "retention.ms", "value": "3600000"}]})
    assert r.status_code == 204, r.text
    configs = {c["name"]: c for c in kafka.get(f"/kafka/v3/clusters/{cid}/topics/cfg/configs").json()["data"]}
    assert configs["retention.ms"]["value"] == "3600000"
    locked = kafka.post(f"/kafka/v3/clusters/{cid}/topics/cfg/configs:alter", json={"data": [{"name": "compression.type", "value": "gzip"}]})
    assert locked.status_code == 400 and "POLICY_VIOLATION" in locked.json()["message"]


def test_consumer_groups_are_listed(world):
    cluster, key, kafka = world["cluster"], world["key"], world["kafka"]
    cfg = client_config(cluster, key["id"], key["spec"]["secret"], world["ca"])
    c = Consumer({**cfg, "group.id": "listed-group", "enable.auto.commit": False})
    c.assign([TopicPartition("mixed", 0, 0)])
    c.commit(offsets=[TopicPartition("mixed", 0, 1)], asynchronous=False)
    c.close()
    groups = kafka.get(f"/kafka/v3/clusters/{cluster['id']}/consumer-groups").json()["data"]
    assert "listed-group" in {g["consumer_group_id"] for g in groups}
