//! The architecture README's "Architecture" section describes, checked against the code: which
//! workspace crate may depend on which, that no library crate reaches Tauri (or its webview stack)
//! through any path of its dependency graph, and that the sandbox's core never imports its HTTP
//! layer. A new crate or a new edge between crates fails here until this table (and the README)
//! say what it is for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Each workspace crate and the workspace crates it may use (normal and build dependencies).
const ALLOWED: &[(&str, &[&str])] = &[
    ("gureum-partitioner", &[]),
    ("gureum-secrets", &[]),
    ("gureum-broker", &[]),
    ("gureum-forms", &[]),
    ("gureum-jobs", &[]),
    ("gureum-connections", &["gureum-forms", "gureum-secrets"]),
    (
        "gureum-confluent",
        &["gureum-forms", "gureum-partitioner", "gureum-secrets"],
    ),
    (
        "gureum-kafka",
        &[
            "gureum-forms",
            "gureum-partitioner",
            "gureum-secrets",
            "gureum-connections",
        ],
    ),
    (
        "gureum-session",
        &[
            "gureum-confluent",
            "gureum-connections",
            "gureum-kafka",
            "gureum-secrets",
        ],
    ),
    (
        "gureum-sandbox",
        &["gureum-partitioner", "gureum-secrets", "gureum-broker"],
    ),
    (
        "gureum",
        &[
            "gureum-forms",
            "gureum-jobs",
            "gureum-connections",
            "gureum-confluent",
            "gureum-kafka",
            "gureum-session",
            "gureum-sandbox",
            "gureum-broker",
            "gureum-secrets",
        ],
    ),
];

/// Packages that only a Tauri app has a reason to link.
fn is_desktop_shell(name: &str) -> bool {
    name == "tauri"
        || name.starts_with("tauri-")
        || ["wry", "tao", "webkit2gtk", "gtk", "muda", "tray-icon"].contains(&name)
}

fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

/// Package id → (name, ids of its normal and build dependencies).
fn graph(meta: &Value) -> BTreeMap<String, (String, Vec<String>)> {
    let names: BTreeMap<&str, &str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let id = n["id"].as_str().unwrap();
            let deps = n["deps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|k| k["kind"].as_str() != Some("dev"))
                })
                .map(|d| d["pkg"].as_str().unwrap().to_string())
                .collect();
            (id.to_string(), (names[id].to_string(), deps))
        })
        .collect()
}

fn workspace_ids(meta: &Value) -> BTreeMap<String, String> {
    meta["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| {
            let id = id.as_str().unwrap();
            let name = meta["packages"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == id)
                .unwrap()["name"]
                .as_str()
                .unwrap();
            (name.to_string(), id.to_string())
        })
        .collect()
}

#[test]
fn workspace_crates_depend_only_on_what_the_architecture_allows() {
    let meta = metadata();
    let graph = graph(&meta);
    let members = workspace_ids(&meta);
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(c, deps)| (*c, deps.iter().copied().collect()))
        .collect();
    for name in members.keys() {
        assert!(
            allowed.contains_key(name.as_str()),
            "{name} is a workspace crate the architecture doesn't describe (tests/architecture.rs, README \"Architecture\")"
        );
    }
    for (name, id) in &members {
        let used: BTreeSet<&str> = graph[id]
            .1
            .iter()
            .map(|d| graph[d].0.as_str())
            .filter(|d| members.contains_key(*d))
            .collect();
        let extra: Vec<_> = used.difference(&allowed[name.as_str()]).collect();
        assert!(
            extra.is_empty(),
            "{name} depends on {extra:?}, which the architecture doesn't allow"
        );
    }
}

#[test]
fn library_crates_never_reach_tauri() {
    let meta = metadata();
    let graph = graph(&meta);
    let members = workspace_ids(&meta);
    let mut checked = 0;
    for (name, id) in members.iter().filter(|(n, _)| n.as_str() != "gureum") {
        // Every package reachable through normal and build dependencies.
        let mut seen = BTreeSet::new();
        let mut todo = vec![(id.clone(), vec![name.clone()])];
        while let Some((at, path)) = todo.pop() {
            if !seen.insert(at.clone()) {
                continue;
            }
            let (pkg, deps) = &graph[&at];
            assert!(
                !is_desktop_shell(pkg),
                "{name} reaches {pkg}: {}",
                path.join(" → ")
            );
            for d in deps {
                let mut p = path.clone();
                p.push(graph[d].0.clone());
                todo.push((d.clone(), p));
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} library crates were found");
    // And the check can fail: the app itself does reach Tauri.
    let app = &members["gureum"];
    assert!(graph[app].1.iter().any(|d| graph[d].0 == "tauri"));
}

/// The sandbox's core (everything but `rest/`, the binary and `lib.rs`, which wires the REST
/// router to the core) uses no HTTP type: the core can run and be tested without its REST layer.
#[test]
fn the_sandbox_core_never_imports_its_http_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/sandbox/src");
    let mut files = Vec::new();
    collect_rs(&src, &mut files);
    let core: Vec<_> = files
        .iter()
        .filter(|f| {
            let rel = f.strip_prefix(&src).unwrap();
            !(rel.starts_with("rest") || rel.starts_with("bin") || rel == Path::new("lib.rs"))
        })
        .collect();
    assert!(core.len() > 20, "only {} core files found", core.len());
    let forbidden = ["axum", "hyper::", "http::", "StatusCode"];
    for f in core {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            assert!(
                !names_rest_module(code),
                "{}:{} imports the REST layer: {line}",
                f.display(),
                n + 1
            );
            for word in forbidden {
                assert!(
                    !code.contains(word),
                    "{}:{} imports the HTTP layer ({word}): {line}",
                    f.display(),
                    n + 1
                );
            }
        }
    }
}

/// `crate::rest`, `super::rest::x`, `rest::router`…: the path segment `rest` itself, not a
/// name that starts with it (`restart_backoff`).
fn names_rest_module(code: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices("rest").any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + 4..].chars().next();
        let whole = !before.is_some_and(ident) && !after.is_some_and(ident);
        whole && (code[..i].ends_with("::") || code[i + 4..].starts_with("::"))
    })
}

#[test]
fn the_rest_module_check_can_tell_a_path_from_a_name() {
    assert!(names_rest_module("use crate::rest::errors;"));
    assert!(names_rest_module("let app = rest::router(x);"));
    assert!(names_rest_module("use super::rest;"));
    assert!(!names_rest_module("super::restart_backoff(a)"));
    assert!(!names_rest_module("let rest = &buf[4..];"));
    assert!(!names_rest_module("interest::rate"));
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect_rs(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}
