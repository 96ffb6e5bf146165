"""Access control as Confluent Cloud does it: a key acts as its owner; a service account can do
exactly what its ACLs grant (nothing without them), a user everything. Checked with a Kafka
client nobody here wrote (confluent-kafka / librdkafka) and plain HTTP; every ACL response is
validated against Confluent's official spec (conftest's Api)."""

import struct
import time
import uuid

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import (AclBinding, AclBindingFilter, AclOperation, AclPermissionType,
                                   AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource,
                                   NewTopic, ResourcePatternType, ResourceType)

import rawkafka
from conftest import acl, admin_key, client_config, grant, org_user

DENIED = {KafkaError.TOPIC_AUTHORIZATION_FAILED, KafkaError.GROUP_AUTHORIZATION_FAILED}


def new_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def produce(cfg: dict, topic: str, n: int = 1, producer: Producer | None = None, **extra) -> list:
    """Sends n records; returns each delivery's error (None when the broker acknowledged it)."""
    p = producer or Producer({**cfg, "acks": "all", "message.timeout.ms": 10000, **extra})
    results = []
    for i in range(n):
        p.produce(topic, value=f"v{i}".encode(), on_delivery=lambda err, msg: results.append(err))
    p.flush(20)
    assert len(results) == n, "every record got a delivery report"
    return [None if e is None else e for e in results]


def consume(cfg: dict, topic: str, group: str, want: int, seconds: float = 20) -> tuple[list, list]:
    """Reads from the start as group `group` until `want` records or an error; (values, errors)."""
    c = Consumer({**cfg, "group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": True})
    c.subscribe([topic])
    values, errors = [], []
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline and len(values) < want:
            m = c.poll(0.5)
            if m is None:
                continue
            if m.error():
                if m.error().code() != KafkaError._PARTITION_EOF:
                    errors.append(m.error())
                    if m.error().code() in DENIED:
                        break
                continue
            values.append(m.value())
    finally:
        c.close()
    return values, errors


@pytest.fixture(scope="module")
def lab(cloud, world):
    """On the world's cluster: a topic, a brand-new service account with no ACLs, and its key."""
    cid, env = world["cluster"]["id"], world["env"]["id"]
    topic = new_name("acl-orders")
    r = world["admin"].post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": topic, "partitions_count": 3})
    assert r.status_code == 201, r.text
    sa = cloud.post("/iam/v2/service-accounts", json={"display_name": new_name("acl-app"), "description": "no rights yet"}).json()
    key = cloud.post("/iam/v2/api-keys", json={"spec": {
        "display_name": "acl key", "owner": {"id": sa["id"]}, "resource": {"id": cid, "environment": env}}}).json()
    cfg = client_config(world["cluster"], key["id"], key["spec"]["secret"], world["ca"])
    rest = cloud.with_auth((key["id"], key["spec"]["secret"]))
    return {"cid": cid, "env": env, "topic": topic, "sa": sa, "principal": f"User:{sa['id']}",
            "cfg": cfg, "rest": rest, "admin": world["admin"]}


def acls_of(admin, cid: str, principal: str) -> list:
    r = admin.get(f"/kafka/v3/clusters/{cid}/acls", params={"principal": principal})
    assert r.status_code == 200, r.text
    return r.json()["data"]


def test_a_service_account_gets_exactly_what_its_acls_grant(lab):
    cid, topic, who, cfg, rest, admin = lab["cid"], lab["topic"], lab["principal"], lab["cfg"], lab["rest"], lab["admin"]

    # No ACLs: refused on every path, and the topic is not even listed.
    assert produce(cfg, topic)[0].code() == KafkaError.TOPIC_AUTHORIZATION_FAILED
    assert AdminClient(cfg).list_topics(timeout=10).topics == {}
    values, errors = consume(cfg, topic, new_name("g"), 1, seconds=10)
    assert values == [] and errors and errors[0].code() in DENIED, errors
    r = rest.post(f"/kafka/v3/clusters/{cid}/topics/{topic}/records", json={"value": {"type": "STRING", "data": "x"}})
    assert (r.status_code, r.json()) == (403, {"error_code": 40301, "message": "Request is not authorized"})
    listed = rest.get(f"/kafka/v3/clusters/{cid}/topics")
    assert listed.status_code == 200 and listed.json()["data"] == []
    assert rest.get(f"/kafka/v3/clusters/{cid}/topics/{topic}").status_code == 403

    # The Producer preset: WRITE and DESCRIBE on the topic, IDEMPOTENT_WRITE on the cluster.
    grant(admin, cid, [acl("TOPIC", topic, who, "WRITE"), acl("TOPIC", topic, who, "DESCRIBE"),
                       acl("CLUSTER", "kafka-cluster", who, "IDEMPOTENT_WRITE")])
    assert produce(cfg, topic, 5, **{"enable.idempotence": True}) == [None] * 5
    live = Producer({**cfg, "acks": "all", "message.timeout.ms": 10000})
    assert produce(cfg, topic, 1, producer=live) == [None]
    assert list(AdminClient(cfg).list_topics(timeout=10).topics) == [topic]
    r = rest.post(f"/kafka/v3/clusters/{cid}/topics/{topic}/records", json={"value": {"type": "STRING", "data": "rest"}})
    assert r.status_code == 200 and r.json()["error_code"] == 200, r.text
    group = new_name("readers")
    values, errors = consume(cfg, topic, group, 1, seconds=10)
    assert values == [] and errors and errors[0].code() in DENIED, errors

    # The Consumer preset: READ and DESCRIBE on the topic, READ on its group. Now it reads.
    grant(admin, cid, [acl("TOPIC", topic, who, "READ"), acl("GROUP", group, who, "READ")])
    values, errors = consume(cfg, topic, group, 7)
    assert len(values) == 7 and not errors, errors
    assert b"rest" in values
    # …with its own group only.
    values, errors = consume(cfg, topic, new_name("other-group"), 1, seconds=10)
    assert values == [] and errors[0].code() == KafkaError.GROUP_AUTHORIZATION_FAILED, errors

    # Every ACL deleted: refused again, even on a connection that was allowed a moment ago.
    for op in ["WRITE", "DESCRIBE", "READ"]:
        r = admin.delete(f"/kafka/v3/clusters/{cid}/acls", params={
            "resource_type": "TOPIC", "pattern_type": "LITERAL", "operation": op, "permission": "ALLOW",
            "principal": who, "resource_name": topic})
        assert r.status_code == 200 and len(r.json()["data"]) == 1, r.text
    assert produce(cfg, topic, 1, producer=live)[0].code() == KafkaError.TOPIC_AUTHORIZATION_FAILED
    assert produce(cfg, topic)[0].code() == KafkaError.TOPIC_AUTHORIZATION_FAILED
    assert rest.get(f"/kafka/v3/clusters/{cid}/topics").json()["data"] == []


def test_deny_beats_allow_and_prefixes_match(cloud, world):
    cid, env = world["cluster"]["id"], world["env"]["id"]
    admin = world["admin"]
    base = new_name("pre")
    for t in [f"{base}-open", f"{base}-secret", new_name("elsewhere")]:
        assert admin.post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": t, "partitions_count": 1}).status_code == 201
    sa = cloud.post("/iam/v2/service-accounts", json={"display_name": new_name("deny")}).json()
    who = f"User:{sa['id']}"
    grant(admin, cid, [acl("TOPIC", f"{base}-", who, "ALL", pattern="PREFIXED"),
                       acl("TOPIC", f"{base}-secret", who, "WRITE", permission="DENY")])
    key = cloud.post("/iam/v2/api-keys", json={"spec": {"owner": {"id": sa["id"]}, "resource": {"id": cid, "environment": env}}}).json()
    cfg = client_config(world["cluster"], key["id"], key["spec"]["secret"], world["ca"])
    assert produce(cfg, f"{base}-open") == [None]
    assert produce(cfg, f"{base}-secret")[0].code() == KafkaError.TOPIC_AUTHORIZATION_FAILED
    # DENY of WRITE takes nothing else: the topic is still described (listed).
    listed = set(AdminClient(cfg).list_topics(timeout=10).topics)
    assert listed == {f"{base}-open", f"{base}-secret"}, listed


def test_a_user_owned_key_can_do_everything(world):
    cid = world["cluster"]["id"]
    cfg = client_config(world["cluster"], world["admin"].auth[0], world["admin"].auth[1], world["ca"])
    topic = new_name("admin-made")
    admin = AdminClient(cfg)
    admin.create_topics([NewTopic(topic, 2, 3)])[topic].result(timeout=15)
    assert produce(cfg, topic, 3) == [None] * 3
    values, errors = consume(cfg, topic, new_name("g"), 3)
    assert len(values) == 3 and not errors
    assert world["admin"].get(f"/kafka/v3/clusters/{cid}/topics/{topic}", params={"include_authorized_operations": "true"}).json()["authorized_operations"]


def test_acls_over_the_kafka_protocol(cloud, world, lab):
    """What `confluent kafka acl` and admin clients use: answered from the same ACLs REST sees."""
    cid = lab["cid"]
    user_cfg = client_config(world["cluster"], world["admin"].auth[0], world["admin"].auth[1], world["ca"])
    admin = AdminClient(user_cfg)
    who = lab["principal"]
    name = new_name("proto")
    binding = AclBinding(ResourceType.TOPIC, name, ResourcePatternType.PREFIXED, who, "*",
                         AclOperation.READ, AclPermissionType.ALLOW)
    for f in admin.create_acls([binding]).values():
        f.result(timeout=10)
    rest_view = [a for a in acls_of(lab["admin"], cid, who) if a["resource_name"] == name]
    assert rest_view and rest_view[0]["pattern_type"] == "PREFIXED" and rest_view[0]["operation"] == "READ"
    found = admin.describe_acls(AclBindingFilter(ResourceType.TOPIC, name, ResourcePatternType.ANY, who, None,
                                                 AclOperation.ANY, AclPermissionType.ANY)).result(timeout=10)
    assert [(b.name, b.operation) for b in found] == [(name, AclOperation.READ)]
    deleted = admin.delete_acls([AclBindingFilter(ResourceType.TOPIC, name, ResourcePatternType.ANY, None, None,
                                                  AclOperation.ANY, AclPermissionType.ANY)])
    assert len(list(deleted.values())[0].result(timeout=10)) == 1
    assert not [a for a in acls_of(lab["admin"], cid, who) if a["resource_name"] == name]
    # A key whose owner may not ALTER the cluster can't change ACLs, nor DESCRIBE them.
    weak = AdminClient(lab["cfg"])
    with pytest.raises(KafkaException) as e:
        for f in weak.create_acls([binding]).values():
            f.result(timeout=10)
    assert e.value.args[0].code() == KafkaError.CLUSTER_AUTHORIZATION_FAILED
    r = lab["rest"].get(f"/kafka/v3/clusters/{cid}/acls")
    assert (r.status_code, r.json()["error_code"]) == (403, 40301)


def test_rest_acl_listing_filters(cloud, world, lab):
    cid, admin = lab["cid"], lab["admin"]
    who = lab["principal"]
    t = new_name("listed")
    grant(admin, cid, [acl("TOPIC", t, who, "READ"), acl("TOPIC", t[:6], who, "WRITE", pattern="PREFIXED"),
                       acl("GROUP", t, who, "READ")])
    by = lambda **q: admin.get(f"/kafka/v3/clusters/{cid}/acls", params=q).json()["data"]
    sas = by(principal="UserV2:*")
    assert all(a["principal"].startswith("User:sa-") for a in sas) and len(sas) >= 3
    assert {a["resource_type"] for a in by(principal=who, resource_type="GROUP")} == {"GROUP"}
    matched = by(resource_type="TOPIC", resource_name=t, pattern_type="MATCH", principal=who)
    assert {(a["pattern_type"], a["operation"]) for a in matched} == {("LITERAL", "READ"), ("PREFIXED", "WRITE")}
    one = by(resource_type="TOPIC", resource_name=t, pattern_type="LITERAL", principal=who)
    assert [a["operation"] for a in one] == ["READ"]
    assert one[0]["kind"] == "KafkaAcl" and one[0]["cluster_id"] == cid and one[0]["host"] == "*"


def test_bad_acls_are_refused_and_nothing_is_half_created(cloud, world, lab):
    cid, admin, who = lab["cid"], lab["admin"], lab["principal"]
    url = f"/kafka/v3/clusters/{cid}/acls"
    before = acls_of(admin, cid, "UserV2:*")
    good = acl("TOPIC", new_name("ok"), who, "READ")

    def refused(r, code):
        assert r.status_code == 400 and r.json()["error_code"] == code, r.text
        return r.json()["message"]

    assert "sa-nobody" in refused(admin.post(url, json=acl("TOPIC", "t", "User:sa-nobody", "READ")), 40002)
    assert "resource_name" in refused(admin.post(url, json=acl("TOPIC", "", who, "READ")), 40002)
    msg = refused(admin.post(url, json=acl("CLUSTER", "my-cluster", who, "DESCRIBE")), 40002)
    assert msg == "The only valid name for the CLUSTER resource is kafka-cluster"
    assert "SMASH" in refused(admin.post(url, json=acl("TOPIC", "t", who, "SMASH")), 400)
    assert "IDEMPOTENT_WRITE" in refused(admin.post(url, json=acl("TOPIC", "t", who, "IDEMPOTENT_WRITE")), 40002)
    no_host = acl("TOPIC", "t", who, "READ")
    del no_host["host"]
    assert "host" in refused(admin.post(url, json=no_host), 400)
    assert "host" in refused(admin.post(url, json=acl("TOPIC", "t", who, "READ") | {"host": "10.0.0.1"}), 40002)
    # A batch with one bad ACL stores none of them.
    msg = refused(admin.post(url + ":batch", json={"data": [good, acl("TOPIC", "", who, "READ")]}), 40002)
    assert "data[1]" in msg
    assert acls_of(admin, cid, "UserV2:*") == before
    # A delete must say what it deletes.
    assert "resource_type" in refused(admin.delete(url, params={"pattern_type": "ANY", "operation": "ANY", "permission": "ANY"}), 400)
    assert acls_of(admin, cid, "UserV2:*") == before


def test_deleting_a_service_account_deletes_its_acls(cloud, world):
    cid, admin = world["cluster"]["id"], world["admin"]
    sa = cloud.post("/iam/v2/service-accounts", json={"display_name": new_name("short-lived")}).json()
    grant(admin, cid, [acl("TOPIC", "*", f"User:{sa['id']}", "READ")])
    assert len(acls_of(admin, cid, f"User:{sa['id']}")) == 1
    assert cloud.delete(f"/iam/v2/service-accounts/{sa['id']}").status_code == 204
    assert acls_of(admin, cid, f"User:{sa['id']}") == []


def test_the_org_user_is_served(cloud):
    users = cloud.get("/iam/v2/users").json()
    assert users["kind"] == "UserList" and len(users["data"]) == 1
    u = users["data"][0]
    assert u["id"].startswith("u-") and cloud.get(f"/iam/v2/users/{u['id']}").json()["id"] == u["id"]
    assert cloud.get("/iam/v2/users/u-nobody").status_code == 404
    cloud_key = cloud.get(f"/iam/v2/api-keys/{cloud.auth[0]}").json()
    assert cloud_key["spec"]["owner"]["id"] == org_user(cloud)


def test_kafka_admin_requests_meet_the_same_policies_as_rest(world):
    """A Kafka admin client can't do what Kafka REST refuses: more partitions than the cluster
    type allows, a replication factor other than 3, a locked config."""
    cid = world["cluster"]["id"]
    cfg = client_config(world["cluster"], world["admin"].auth[0], world["admin"].auth[1], world["ca"])
    admin = AdminClient(cfg)

    def create_error(topic: NewTopic) -> KafkaError:
        with pytest.raises(KafkaException) as e:
            admin.create_topics([topic])[topic.topic].result(timeout=15)
        return e.value.args[0]

    too_many = create_error(NewTopic(new_name("huge"), 1501, 3))  # Basic: 1,500 partitions
    assert too_many.code() == KafkaError.POLICY_VIOLATION and "limit of 1500" in too_many.str()
    r = world["admin"].post(f"/kafka/v3/clusters/{cid}/topics", json={"topic_name": new_name("huge"), "partitions_count": 1501})
    assert r.status_code == 400 and "limit of 1500" in r.json()["message"]
    rf = create_error(NewTopic(new_name("rf"), 1, 2))
    assert rf.code() == KafkaError.POLICY_VIOLATION and "replication factor must be 3" in rf.str()
    locked = create_error(NewTopic(new_name("lk"), 1, 3, config={"compression.type": "gzip"}))
    assert locked.code() == KafkaError.POLICY_VIOLATION
    bad_name = create_error(NewTopic("bad name!", 1, 3))
    assert bad_name.code() == KafkaError.TOPIC_EXCEPTION

    ok = new_name("policy-ok")
    admin.create_topics([NewTopic(ok, 2, 3)])[ok].result(timeout=15)
    res = ConfigResource(ConfigResource.Type.TOPIC, ok, incremental_configs=[
        ConfigEntry("compression.type", "gzip", incremental_operation=AlterConfigOpType.SET)])
    with pytest.raises(KafkaException) as e:
        list(admin.incremental_alter_configs([res]).values())[0].result(timeout=15)
    assert e.value.args[0].code() == KafkaError.POLICY_VIOLATION
    fine = ConfigResource(ConfigResource.Type.TOPIC, ok, incremental_configs=[
        ConfigEntry("retention.ms", "3600000", incremental_operation=AlterConfigOpType.SET)])
    list(admin.incremental_alter_configs([fine]).values())[0].result(timeout=15)
    configs = world["admin"].get(f"/kafka/v3/clusters/{cid}/topics/{ok}/configs").json()["data"]
    assert {c["name"]: c["value"] for c in configs}["retention.ms"] == "3600000"
    # A topic made without a partition count gets Confluent's default, as over REST.
    dflt = new_name("dflt")
    admin.create_topics([NewTopic(dflt)])[dflt].result(timeout=15)
    assert world["admin"].get(f"/kafka/v3/clusters/{cid}/topics/{dflt}").json()["partitions_count"] == 6


def test_a_hostile_metadata_request_after_login_only_closes_its_connection(world, lab):
    """One authenticated Metadata v4 claiming 2^31-1 topics: the door drops that connection and
    everything else goes on (it used to end the whole sandbox)."""
    host, port = world["cluster"]["spec"]["kafka_bootstrap_endpoint"].removeprefix("SASL_SSL://").rsplit(":", 1)
    key, secret = world["admin"].auth
    with rawkafka.login(host, int(port), world["ca"], key, secret) as s:
        s.sendall(rawkafka.frame(3, 4, 3, struct.pack(">i", 2**31 - 1) + b"\x01"))
        assert rawkafka.closed_by_peer(s), "the door closes a connection whose request it can't read"
    # The sandbox and its cluster are fine.
    cid = world["cluster"]["id"]
    assert world["admin"].get(f"/kafka/v3/clusters/{cid}/topics").status_code == 200
    cfg = client_config(world["cluster"], key, secret, world["ca"])
    assert produce(cfg, lab["topic"]) == [None]


def test_a_bad_acl_is_refused_naming_its_field_and_nothing_is_stored(world):
    cid = world["cluster"]["id"]
    admin = world["admin"]
    who = f"User:{new_name('sa-bad')}"
    good = acl("TOPIC", "orders", who, "READ")
    for body, says in [
        ({**good, "operation": "FLY"}, "operation 'FLY' is not one of"),
        ({k: v for k, v in good.items() if k != "permission"}, "permission is required."),
        ({**good, "resource_type": 7}, "resource_type must be a string."),
    ]:
        r = admin.post(f"/kafka/v3/clusters/{cid}/acls", json=body)
        assert r.status_code == 400 and says in r.json()["message"], r.text
    # A batch is all or nothing, and names the entry.
    r = admin.post(f"/kafka/v3/clusters/{cid}/acls:batch", json={"data": [good, {**good, "pattern_type": "FUZZY"}]})
    assert r.status_code == 400 and "pattern_type 'FUZZY' is not one of" in r.json()["message"], r.text
    r = admin.post(f"/kafka/v3/clusters/{cid}/acls:batch", json={"data": [good, {**good, "host": None}]})
    assert r.status_code == 400 and "data[1].host is required." in r.json()["message"], r.text
    r = admin.get(f"/kafka/v3/clusters/{cid}/acls", params={"permission": "MAYBE"})
    assert r.status_code == 400 and "permission 'MAYBE' is not one of" in r.json()["message"], r.text
    assert admin.get(f"/kafka/v3/clusters/{cid}/acls", params={"principal": who}).json()["data"] == []
