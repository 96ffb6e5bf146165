"""Abuse of a cluster's front door, bounded in time and count, on loopback: malformed and truncated
frames of every API the door reads, counts of 2^31, 100 MiB size headers without bodies, random
bytes before SASL, thousands of idle and half-open connections. Throughout, a well-behaved
producer keeps sending; afterwards every record it was told were stored is read back, the
sandbox process is still up, and its peak memory is printed (`pytest -s` shows the figures)."""

import os
import random
import socket
import struct
import threading
import time
import uuid

import pytest
from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

import rawkafka
from conftest import Api, SandboxProcess, admin_key, client_config, wait_provisioned

# What the door serves (front_door/decide.rs SERVED): (api key, first version, last version,
# first flexible version).
SERVED = [(0, 3, 12, 9), (1, 4, 12, 12), (2, 1, 10, 6), (3, 0, 12, 9), (8, 2, 9, 8), (9, 1, 7, 6),
          (10, 0, 3, 3), (11, 0, 9, 6), (12, 0, 4, 4), (13, 0, 5, 4), (14, 0, 5, 4), (15, 0, 5, 5),
          (16, 0, 4, 3), (18, 0, 4, 3), (19, 2, 7, 5), (20, 1, 5, 4), (21, 0, 2, 2), (22, 0, 5, 2),
          (23, 2, 4, 4), (24, 0, 3, 3), (25, 0, 4, 3), (26, 0, 4, 3), (28, 0, 4, 3), (29, 1, 3, 2),
          (30, 1, 3, 2), (31, 1, 3, 2), (32, 1, 4, 4), (33, 0, 2, 2), (37, 0, 3, 2), (42, 0, 2, 2),
          (44, 0, 1, 1), (47, 0, 0, 99), (60, 0, 1, 0), (61, 0, 0, 0), (65, 0, 0, 0), (66, 0, 1, 0)]

TOPIC = "steady"


def vm(pid: int, field: str) -> int:
    """VmRSS / VmHWM of a process, in KiB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


@pytest.fixture(scope="module")
def door(tmp_path_factory, contract):
    """A sandbox of its own (so its memory is this test's alone), a Basic cluster, a topic."""
    data = tmp_path_factory.mktemp("abuse") / "data"
    data.mkdir()
    sb = SandboxProcess(data, f"gureum-test-abuse-{os.getpid()}").start()
    cloud = Api(sb.url, (sb.key, sb.secret), contract)
    env = cloud.post("/org/v2/environments", json={"display_name": "abuse"}).json()
    c = cloud.post("/cmk/v2/clusters", json={"spec": {"display_name": "abuse", "availability": "SINGLE_ZONE", "cloud": "AWS",
                                                      "region": "us-east-1", "config": {"kind": "Basic"}, "environment": {"id": env["id"]}}}).json()
    c, _ = wait_provisioned(cloud, c["id"], env["id"])
    admin = admin_key(cloud, c["id"], env["id"])
    assert admin.post(f"/kafka/v3/clusters/{c['id']}/topics", json={"topic_name": TOPIC, "partitions_count": 3}).status_code == 201
    host, port = c["spec"]["kafka_bootstrap_endpoint"].removeprefix("SASL_SSL://").rsplit(":", 1)
    yield {"sb": sb, "pid": sb.proc.pid, "host": host, "port": int(port), "ca": sb.ready["ca_file"],
           "key": admin.auth[0], "secret": admin.auth[1], "cfg": client_config(c, admin.auth[0], admin.auth[1], sb.ready["ca_file"])}
    sb.stop()


class Steady(threading.Thread):
    """A producer that sends numbered records until told to stop, counting acknowledgements."""

    def __init__(self, cfg):
        super().__init__(daemon=True)
        self.cfg, self.stop = cfg, threading.Event()
        self.acked, self.failed, self.sent = set(), [], 0

    def run(self):
        p = Producer({**self.cfg, "acks": "all", "enable.idempotence": True, "linger.ms": 5})

        def done(err, msg):
            if err:
                self.failed.append(err)
            else:
                self.acked.add(msg.value())
        while not self.stop.is_set():
            try:
                p.produce(TOPIC, value=f"r{self.sent}".encode(), on_delivery=done)
                self.sent += 1
            except BufferError:
                pass
            p.poll(0.002)
        assert p.flush(60) == 0


def quietly(fn):
    try:
        fn()
    except OSError:
        pass


def test_the_door_survives_abuse_and_loses_nothing(door):
    figures = {}
    rss_before = vm(door["pid"], "VmRSS")
    steady = Steady(door["cfg"])
    steady.start()
    deadline = time.monotonic() + 30
    while len(steady.acked) < 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(steady.acked) >= 200, "the well-behaved producer got going"
    host, port, ca = door["host"], door["port"], door["ca"]
    rng = random.Random(7)

    def phase(name, fn):
        t = time.monotonic()
        out = fn()
        figures[name] = (round(time.monotonic() - t, 1), out)
        assert steady.is_alive() and door["sb"].proc.poll() is None, f"after {name}"

    def random_before_sasl():
        closed = 0
        for _ in range(200):
            with rawkafka.tls(host, port, ca) as s:
                junk = rng.randbytes(rng.randint(1, 2000))
                quietly(lambda: s.sendall(junk))
                # A size the junk fulfils is a frame the door reads and refuses at once; one
                # that promises more is waited for (until the login timeout), as Kafka does.
                size = struct.unpack(">i", junk[:4])[0] if len(junk) >= 4 else -1
                if 0 <= size <= len(junk) - 4 or size < 0 and len(junk) >= 4:
                    assert rawkafka.closed_by_peer(s, 10)
                    closed += 1
        return f"200 connections ({closed} refused at once, the rest closed by us)"
    phase("random bytes before SASL", random_before_sasl)

    def malformed():
        n = 0
        for key, lo, hi, flex in SERVED:
            for v in range(lo, hi + 1):
                for body in [rng.randbytes(rng.randint(0, 300)), b"", b"\xff" * 7]:
                    with rawkafka.login(host, port, ca, door["key"], door["secret"]) as s:
                        quietly(lambda: s.sendall(rawkafka.frame(key, v, 9, body, flexible=v >= flex)))
                        # Answered (a refusal, or nothing to refuse) or closed: both fine, as
                        # long as the door lives.
                        s.settimeout(10)
                        quietly(lambda: s.recv(65536))
                    n += 1
                # Truncated: a size that promises more than comes, then close.
                with rawkafka.login(host, port, ca, door["key"], door["secret"]) as s:
                    f = rawkafka.frame(key, v, 9, rng.randbytes(40), flexible=v >= flex)
                    quietly(lambda: s.sendall(f[:-20]))
                n += 1
        return f"{n} requests"
    phase("malformed and truncated frames of every API", malformed)

    def huge_counts():
        n = 0
        for key, v, flex in [(3, 4, False), (3, 12, True), (0, 7, False), (0, 9, True), (1, 11, False), (1, 12, True),
                             (19, 4, False), (19, 5, True), (20, 3, False), (15, 4, False), (32, 4, True), (44, 1, True)]:
            count = b"\xff\xff\xff\xff\x0f" if flex else struct.pack(">i", 2**31 - 1)
            prefix = {0: (b"\xff\xff" if not flex else b"\x00") + b"\xff\xff" + b"\x00\x00\x75\x30",  # txn null, acks, timeout
                      1: b"\xff\xff\xff\xff" + b"\x00" * 13 + (b"\x00" * 8 if v >= 7 else b"")}.get(key, b"")
            with rawkafka.login(host, port, ca, door["key"], door["secret"]) as s:
                quietly(lambda: s.sendall(rawkafka.frame(key, v, 5, prefix + count + b"\x00" * 8, flexible=flex)))
                assert rawkafka.closed_by_peer(s, 10), (key, v)
            n += 1
        return f"{n} requests claiming 2^31 elements"
    phase("array counts of 2^31", huge_counts)

    def big_headers():
        socks = []
        for _ in range(50):  # before login: more than the 64 KiB allowed, refused at once
            s = rawkafka.tls(host, port, ca)
            quietly(lambda: s.sendall(struct.pack(">i", 100 * 1024 * 1024)))
            socks.append(s)
        for _ in range(50):  # after login: a Produce announcing 100 MiB that never comes
            s = rawkafka.login(host, port, ca, door["key"], door["secret"])
            quietly(lambda: s.sendall(struct.pack(">i", 100 * 1024 * 1024) + struct.pack(">hhi", 0, 9, 1)))
            socks.append(s)
        time.sleep(2)
        peak = vm(door["pid"], "VmRSS")
        for s in socks:
            s.close()
        return f"100 connections; RSS while held {peak // 1024} MiB"
    phase("100 MiB frame headers without bodies", big_headers)

    def idle_tls():
        held, refused = [], 0
        for _ in range(2000):
            try:
                held.append(rawkafka.tls(host, port, ca, timeout=5))
            except (OSError, ConnectionError):
                refused += 1
        rss = vm(door["pid"], "VmRSS")
        before = len(steady.acked)
        time.sleep(1)
        moving = len(steady.acked) > before
        for s in held:
            s.close()
        assert moving, "the producer kept going while 2,000 connections were open"
        return f"{len(held)} held, {refused} refused by the cap; RSS {rss // 1024} MiB"
    phase("2,000 idle TLS connections", idle_tls)

    def half_handshakes():
        held = []
        hello = bytes([0x16, 0x03, 0x01, 0x02, 0x00]) + rng.randbytes(50)  # a record promising 512 bytes
        for _ in range(1000):
            try:
                s = socket.create_connection((host, port), timeout=5)
                s.sendall(hello)
                held.append(s)
            except OSError:
                pass
        time.sleep(1)
        for s in held:
            s.close()
        return f"{len(held)} connections"
    phase("1,000 connections stopped mid-handshake", half_handshakes)

    steady.stop.set()
    steady.join(90)
    assert not steady.is_alive()
    assert not steady.failed, steady.failed[:3]
    # Every acknowledged record is there.
    c = Consumer({**door["cfg"], "group.id": f"check-{uuid.uuid4().hex[:6]}", "auto.offset.reset": "earliest",
                  "enable.partition.eof": True})
    c.assign([TopicPartition(TOPIC, p, 0) for p in range(3)])
    seen, eof = set(), set()
    deadline = time.monotonic() + 60
    while len(eof) < 3 and time.monotonic() < deadline:
        m = c.poll(0.5)
        if m is None:
            continue
        if m.error():
            if m.error().code() == KafkaError._PARTITION_EOF:
                eof.add(m.partition())
            continue
        seen.add(m.value())
    c.close()
    lost = steady.acked - seen
    peak = vm(door["pid"], "VmHWM")
    print("\nabuse suite:")
    for name, (secs, what) in figures.items():
        print(f"  {name}: {what} in {secs} s")
    print(f"  well-behaved producer: {len(steady.acked)} records acknowledged, {len(lost)} lost, "
          f"{len(seen)} read back")
    print(f"  sandbox process: RSS {rss_before // 1024} MiB before, peak {peak // 1024} MiB")
    assert not lost, f"{len(lost)} acknowledged records missing"
    assert door["sb"].proc.poll() is None
    assert peak < 1024 * 1024, "peak memory stays under 1 GiB"
