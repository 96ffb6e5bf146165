#!/usr/bin/env python3
"""Generates src/front_door/requests_gen.rs: the wire layout of every Kafka request the front door
reads, as data for its bounds-checked walker (front_door/walk.rs). The layouts are read from the
decoders kafka-protocol 0.18 generates from Apache Kafka's message definitions, so the walker and
the crate agree field for field (a unit test encodes requests with the crate and walks them).

Why not decode client requests with kafka-protocol itself: its array decoders reserve capacity from
the count on the wire, so one request claiming 2^31 elements aborts the process.

Usage: python3 src-tauri/sandbox/tools/gen_request_schemas.py > src-tauri/sandbox/src/front_door/requests_gen.rs
(needs kafka-protocol 0.18.0 in ~/.cargo/registry, i.e. after any build of the sandbox)."""

import glob
import os
import re
import sys

# (module name, kafka-protocol file, api key)
REQUESTS = [
    ("produce", "produce_request", 0), ("fetch", "fetch_request", 1),
    ("list_offsets", "list_offsets_request", 2), ("metadata", "metadata_request", 3),
    ("offset_commit", "offset_commit_request", 8), ("offset_fetch", "offset_fetch_request", 9),
    ("find_coordinator", "find_coordinator_request", 10), ("join_group", "join_group_request", 11),
    ("heartbeat", "heartbeat_request", 12), ("leave_group", "leave_group_request", 13),
    ("sync_group", "sync_group_request", 14), ("describe_groups", "describe_groups_request", 15),
    ("list_groups", "list_groups_request", 16), ("sasl_handshake", "sasl_handshake_request", 17),
    ("api_versions", "api_versions_request", 18), ("create_topics", "create_topics_request", 19),
    ("delete_topics", "delete_topics_request", 20), ("delete_records", "delete_records_request", 21),
    ("init_producer_id", "init_producer_id_request", 22),
    ("offset_for_leader_epoch", "offset_for_leader_epoch_request", 23),
    ("add_partitions_to_txn", "add_partitions_to_txn_request", 24),
    ("add_offsets_to_txn", "add_offsets_to_txn_request", 25), ("end_txn", "end_txn_request", 26),
    ("txn_offset_commit", "txn_offset_commit_request", 28),
    ("describe_acls", "describe_acls_request", 29), ("create_acls", "create_acls_request", 30),
    ("delete_acls", "delete_acls_request", 31), ("describe_configs", "describe_configs_request", 32),
    ("alter_configs", "alter_configs_request", 33), ("sasl_authenticate", "sasl_authenticate_request", 36),
    ("create_partitions", "create_partitions_request", 37), ("delete_groups", "delete_groups_request", 42),
    ("incremental_alter_configs", "incremental_alter_configs_request", 44),
    ("offset_delete", "offset_delete_request", 47), ("describe_cluster", "describe_cluster_request", 60),
    ("describe_producers", "describe_producers_request", 61),
    ("describe_transactions", "describe_transactions_request", 65),
    ("list_transactions", "list_transactions_request", 66),
]

BASE = glob.glob(os.path.expanduser("~/.cargo/registry/src/*/kafka-protocol-0.18.0/src/messages/"))
if not BASE:
    sys.exit("kafka-protocol 0.18.0 is not in ~/.cargo/registry; build the sandbox once first")
BASE = BASE[0]

SCALARS = {"Int8": "I8", "Boolean": "I8", "Int16": "I16", "Int32": "I32", "Int64": "I64",
           "Uuid": "Uuid", "String": "Str", "CompactString": "Str",
           "Bytes": "Bytes", "CompactBytes": "Bytes"}


def split_if(expr):
    """'if COND { A } else { B }' -> (COND, A, B), or None for a plain expression."""
    m = re.match(r"if (.+?) \{ (.*)$", expr)
    if not m:
        return None
    cond, rest = m.group(1), m.group(2)
    depth, i = 1, 0
    while depth:
        c = rest[i]
        depth += {"{": 1, "}": -1}.get(c, 0)
        i += 1
    then = rest[: i - 1].strip()
    tail = rest[i:].strip()
    assert tail.startswith("else {") and tail.endswith("}"), expr
    return cond, then, tail[len("else {"):-1].strip()


def is_type(expr):
    return split_if(expr) is not None or expr.split("(")[0] in SCALARS or expr.startswith(("Array(", "CompactArray("))


def versions(cond, lo, hi):
    for part in cond.split("&&"):
        m = re.match(r"\s*version (>=|<=) (-?\d+)\s*$", part)
        assert m, cond
        if m.group(1) == ">=":
            lo = max(lo, int(m.group(2)))
        else:
            hi = min(hi, int(m.group(2)))
    return lo, hi


def field_type(expr, elem):
    """The wire type of a decode expression (compact or not is the message's flexible range)."""
    s = split_if(expr)
    if s:  # compact-or-not choice: both branches are the same kind
        return field_type(s[1], elem)
    if expr.startswith(("Array(", "CompactArray(")):
        inner = expr[expr.index("(") + 1:-1]
        if inner.startswith("Struct"):
            return f"Ty::Arr(&{snake(elem)})"
        return {"Int32": "Ty::ArrI32", "String": "Ty::ArrStr", "CompactString": "Ty::ArrStr",
                "Int64": "Ty::ArrI64"}[inner]
    return "Ty::" + SCALARS[expr]


def parse_file(fname):
    src = open(BASE + fname + ".rs").read()
    # field -> element struct name, per struct
    elems = {}
    for m in re.finditer(r"pub struct (\w+) \{(.*?)\n\}", src, re.S):
        for f in re.finditer(r"pub (\w+): (?:Option<)?Vec<(?:super::)?(\w+)>", m.group(2)):
            elems[(m.group(1), f.group(1))] = f.group(2)
    structs, flexible = {}, None
    for m in re.finditer(r"impl Decodable for (\w+) \{(.*?)\n\}\n", src, re.S):
        name, body = m.group(1), m.group(2)
        vm = re.search(r"if version < (\d+) \|\| version > (\d+)", body)
        lo, hi = map(int, vm.groups()) if vm else (int(re.search(r"if version != (\d+)", body).group(1)),) * 2
        fm = re.search(r"if version >= (\d+) \{\s*let num_tagged_fields", body)
        if fm:
            flexible = int(fm.group(1))
        elif "let num_tagged_fields" in body:
            flexible = lo  # flexible in every version
        body = body.split("let mut unknown_tagged_fields")[0] + "Ok"
        fields = []
        for lm in re.finditer(r"let (\w+) = (.*?);\s*(?=let |Ok)", body, re.S):
            fname_, expr = lm.group(1), " ".join(lm.group(2).split())
            expr = expr.replace("types::", "").replace(".decode(buf)?", "").replace("Struct { version }", "Struct")
            flo, fhi, cur = lo, hi, expr
            while True:  # peel presence conditions (else-branch is a default value, not a type)
                s = split_if(cur)
                if s and not is_type(s[2]):
                    flo, fhi = versions(s[0], flo, fhi)
                    cur = s[1]
                else:
                    break
            if not is_type(cur):
                continue  # never on the wire in these versions (a default only)
            fields.append((fname_, field_type(cur, elems.get((name, fname_), "?")), flo, fhi))
        structs[name] = (lo, hi, fields)
    return structs, flexible


def snake(name):
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).upper()


def main():
    out = ["// @generated by src-tauri/sandbox/tools/gen_request_schemas.py from kafka-protocol 0.18.0's",
           "// decoders: the wire layout of each request the front door reads. Do not edit by hand.",
           "#![allow(dead_code)]", "",
           "use super::walk::{Api, Field, Struct, Ty};", ""]
    for mod, fname, key in REQUESTS:
        structs, flexible = parse_file(fname)
        root = next(n for n in structs if n.endswith("Request"))
        lo, hi, _ = structs[root]
        out.append(f"pub mod {mod} {{")
        out.append("    use super::*;")
        out.append(f"    pub static API: Api = Api {{ key: {key}, min: {lo}, max: {hi}, flexible: {flexible if flexible is not None else 'i16::MAX'}, root: &{snake(root)} }};")
        for name, (slo, shi, fields) in structs.items():
            body = ", ".join(f"Field {{ ty: {t}, min: {a}, max: {b} }}" for _, t, a, b in fields)
            out.append(f"    pub static {snake(name)}: Struct = Struct {{ name: \"{name}\", fields: &[{body}] }};")
        for name, (_, _, fields) in structs.items():
            consts = " ".join(f"pub const {f.upper()}: usize = {i};" for i, (f, _, _, _) in enumerate(fields))
            out.append(f"    pub mod {snake(name).lower()} {{ {consts} }}")
        out.append("}")
        out.append("")
    print("\n".join(out))


main()
