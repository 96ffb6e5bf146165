"""The front door refuses what Confluent Cloud refuses: a wrong secret, another cluster's key, a
deleted key, and a plaintext client. Each with the error a Kafka client sees."""

import socket
import ssl

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient

from conftest import client_config, provisioned_cluster, service_key


def metadata_error(cfg: dict) -> KafkaError:
    """The most specific error a client gets asking for metadata; fails the test if it succeeds.
    librdkafka reports the cause (e.g. _AUTHENTICATION) through error_cb, served by poll()."""
    errors = []
    admin = AdminClient({**cfg, "error_cb": errors.append, "socket.timeout.ms": 5000})
    with pytest.raises(KafkaException) as exc:
        admin.list_topics(timeout=8)
    for _ in range(10):
        if errors:
            break
        admin.poll(0.3)
    auth = [e for e in errors if e.code() == KafkaError._AUTHENTICATION]
    return (auth or errors or [exc.value.args[0]])[0]


def test_wrong_secret_is_refused(world):
    cfg = client_config(world["cluster"], world["key"]["id"], "not-the-secret", world["ca"])
    err = metadata_error(cfg)
    assert err.code() == KafkaError._AUTHENTICATION, err
    assert "Authentication failed" in err.str()


def test_unknown_key_is_refused(world):
    cfg = client_config(world["cluster"], "NOSUCHKEY0000000", "x" * 64, world["ca"])
    assert metadata_error(cfg).code() == KafkaError._AUTHENTICATION


def test_a_key_of_another_cluster_is_refused(world, cloud):
    env = world["env"]["id"]
    other = provisioned_cluster(cloud, env, "other", {"kind": "Basic"}, ("GCP", "asia-northeast3"))
    other_key = service_key(cloud, other, env, world["sa"]["id"])
    # The other cluster's key works there…
    ok = client_config(other, other_key["id"], other_key["spec"]["secret"], world["ca"])
    assert AdminClient(ok).list_topics(timeout=10).topics is not None
    # …and is refused here, at the front door and on Kafka REST.
    wrong = client_config(world["cluster"], other_key["id"], other_key["spec"]["secret"], world["ca"])
    assert metadata_error(wrong).code() == KafkaError._AUTHENTICATION
    r = world["kafka"].with_auth((other_key["id"], other_key["spec"]["secret"])).get(f"/kafka/v3/clusters/{world['cluster']['id']}/topics")
    assert r.status_code == 401 and r.json()["error_code"] == 40101


def test_a_deleted_key_is_refused(world, cloud):
    k = cloud.post("/iam/v2/api-keys", json={"spec": {"owner": {"id": world["sa"]["id"]}, "resource": {"id": world["cluster"]["id"]}}}).json()
    cfg = client_config(world["cluster"], k["id"], k["spec"]["secret"], world["ca"])
    assert AdminClient(cfg).list_topics(timeout=10).topics is not None
    assert cloud.delete(f"/iam/v2/api-keys/{k['id']}").status_code == 204
    assert metadata_error(cfg).code() == KafkaError._AUTHENTICATION
    gone = cloud.get(f"/iam/v2/api-keys/{k['id']}")
    assert gone.status_code == 403 and gone.json()["errors"][0]["code"] == "forbidden_access"


def test_a_plaintext_client_is_refused(world):
    bootstrap = world["cluster"]["spec"]["kafka_bootstrap_endpoint"].removeprefix("SASL_SSL://")
    err = metadata_error({"bootstrap.servers": bootstrap, "security.protocol": "PLAINTEXT"})
    assert err.code() in (KafkaError._TRANSPORT, KafkaError._ALL_BROKERS_DOWN, KafkaError._TIMED_OUT), err
    # Raw bytes get no Kafka answer either: the door speaks TLS only.
    host, port = bootstrap.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(b"\x00\x00\x00\x0a\x00\x12\x00\x00\x00\x00\x00\x01\x00\x00")
        s.settimeout(5)
        try:
            reply = s.recv(64)
        except (ConnectionResetError, socket.timeout):
            reply = b""
        assert not reply.startswith(b"\x00\x00"), "a plaintext request got a Kafka response"


def test_sasl_ssl_with_the_right_key_works(world):
    cfg = client_config(world["cluster"], world["key"]["id"], world["key"]["spec"]["secret"], world["ca"])
    md = AdminClient(cfg).list_topics(timeout=10)
    # Every broker clients are sent to is a front door: TLS with the sandbox CA, never a
    # broker's own plaintext listener.
    ctx = ssl.create_default_context(cafile=world["ca"])
    for b in md.brokers.values():
        assert b.host == "127.0.0.1"
        with socket.create_connection((b.host, b.port), timeout=5) as raw:
            with ctx.wrap_socket(raw, server_hostname=b.host) as tls:
                assert tls.version() in ("TLSv1.2", "TLSv1.3")
