// The lesson cluster most lessons share, on the sandbox: environment "learn", a Dedicated 2-CKU
// cluster "learn-dedicated", an API key of your account (full access, kept in the keyring) and
// topic "lesson-orders". Found by name and reused; what is missing is created, step by step.
import { type BridgeError, asBridgeError, call, commands } from "../../api";
import { type ClusterView_Serialize as ClusterView, type EnvironmentView, type Target, events } from "../../bindings";
import { SETUP_STEPS, type SetupStep, type SetupView, type StepState, freshSetup, lab, labLooked, labSetup } from "./state";

export const LAB = {
  conn: "sandbox",
  env: "learn",
  cluster: "learn-dedicated",
  account: "learn-lessons",
  topic: "lesson-orders",
  partitions: 6,
  cku: 2,
} as const;

/** How often set-up and the lessons re-read what they wait for (tests shorten it). */
export const timing = { pollMs: 1000 };
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Lab {
  env: EnvironmentView;
  cluster: ClusterView;
  keyId: string;
  target: Target;
  /** The topic was just created (empty): lesson 1 needn't empty it before a run. */
  topicFresh: boolean;
}

function step(s: SetupStep, state: StepState, note?: string) {
  const v = labSetup.value;
  labSetup.value = { ...v, steps: { ...v.steps, [s]: note === undefined ? { state } : { state, note } } };
}

const targetOf = (env: EnvironmentView, cluster: ClusterView): Target => ({ connection_id: LAB.conn, environment_id: env.id, cluster_id: cluster.id });

/** Finds a complete lesson cluster (nothing created); sets `lab` when there is one. */
export async function findLab(): Promise<Lab | null> {
  try {
    const envs = await call(commands.listEnvironments(LAB.conn));
    const env = envs.find((e) => e.name === LAB.env);
    if (!env) return null;
    const cluster = (await call(commands.listClusters(LAB.conn, env.id))).find((c) => c.name === LAB.cluster && c.phase === "PROVISIONED");
    if (!cluster) return null;
    // A key of my account: a service account's key (without ACLs) can do nothing here.
    const me = await call(commands.myAccount(LAB.conn));
    const key = (await call(commands.listApiKeys(LAB.conn))).find((k) => k.resource_id === cluster.id && k.stored && k.owner_id === me.id);
    if (!key) return null;
    const topics = await call(commands.listTopics(LAB.conn, env.id, cluster.id));
    if (!topics.some((t) => t.name === LAB.topic)) return null;
    const found: Lab = { env, cluster, keyId: key.id, target: targetOf(env, cluster), topicFresh: false };
    if (!labSetup.value.running) {
      labSetup.value = { running: false, error: null, steps: Object.fromEntries(SETUP_STEPS.map((s) => [s, { state: "reused" }])) as SetupView["steps"] };
    }
    lab.value = found;
    return found;
  } catch {
    return null;
  } finally {
    labLooked.value = true;
  }
}

/** Creates what is missing of the lesson cluster, reporting each step in `labSetup`. */
export async function setUpLab(): Promise<Lab | null> {
  if (labSetup.value.running) return lab.value;
  labSetup.value = { ...freshSetup(), running: true };
  let current: SetupStep = "env";
  try {
    // 1. Environment.
    step("env", "running");
    const envs = await call(commands.listEnvironments(LAB.conn));
    let env = envs.find((e) => e.name === LAB.env);
    if (env) step("env", "reused", env.id);
    else {
      env = await call(commands.createEnvironment(LAB.conn, LAB.env));
      step("env", "created", env.id);
    }

    // 2. Cluster, waited for until PROVISIONED.
    current = "cluster";
    step("cluster", "running");
    let cluster = (await call(commands.listClusters(LAB.conn, env.id))).find((c) => c.name === LAB.cluster && c.phase !== "FAILED");
    const reusedCluster = !!cluster;
    if (!cluster) {
      cluster = await call(
        commands.createCluster(LAB.conn, {
          environment_id: env.id,
          name: LAB.cluster,
          type: "Dedicated",
          cku: LAB.cku,
          cloud: "AWS",
          region: "us-east-1",
          availability: "SINGLE_ZONE",
        }),
      );
    }
    const began = Date.now();
    while (cluster.phase !== "PROVISIONED") {
      if (cluster.phase === "FAILED") throw { code: "CLOUD_SERVER", message: `The cluster ${cluster.id} failed to provision.` } satisfies BridgeError;
      step("cluster", "running", `provisioning:${Math.round((Date.now() - began) / 1000)}`);
      await sleep(timing.pollMs);
      cluster = await call(commands.getCluster(LAB.conn, env.id, cluster.id));
    }
    step("cluster", reusedCluster ? "reused" : "created", cluster.id);

    // 3 + 4. A key of my account for the cluster that Gureum holds (as Confluent's quick start
    // makes one: full access); else a new one.
    current = "account";
    step("account", "running");
    const account = await call(commands.myAccount(LAB.conn));
    step("account", "reused", account.id);
    const keys = await call(commands.listApiKeys(LAB.conn));
    let key = keys.find((k) => k.resource_id === cluster!.id && k.stored && k.owner_id === account.id);
    if (key) {
      step("key", "reused", key.id);
    } else {
      current = "key";
      step("key", "running");
      const created = await call(
        commands.createApiKey(LAB.conn, {
          owner_id: account.id,
          cluster_id: cluster.id,
          environment_id: env.id,
          name: `${LAB.cluster} lessons`,
          description: "Made by Gureum's Learn section",
          acls: [],
        }),
      );
      if (created.store_error) throw { code: "KEYRING_ERROR", message: created.store_error } satisfies BridgeError;
      key = created.key;
      const keyId = key.id;
      let stop: (() => void) | undefined;
      try {
        stop = await events.apiKeyWait.listen((e) => {
          if (e.payload.key_id === keyId) step("key", "running", `wait:${e.payload.attempt}`);
        });
      } catch {
        // No progress events: the wait still ends.
      }
      try {
        await call(commands.waitForApiKey(LAB.conn, env.id, cluster.id, keyId, null));
      } finally {
        stop?.();
      }
      step("key", "created", keyId);
    }

    // 5. Topic.
    current = "topic";
    step("topic", "running");
    const topics = await call(commands.listTopics(LAB.conn, env.id, cluster.id));
    let topicFresh = false;
    if (topics.some((t) => t.name === LAB.topic)) step("topic", "reused", LAB.topic);
    else {
      await call(commands.createTopic(LAB.conn, env.id, cluster.id, { name: LAB.topic, partitions: LAB.partitions, configs: [] }));
      topicFresh = true;
      step("topic", "created", LAB.topic);
    }
    const done: Lab = { env, cluster, keyId: key.id, target: targetOf(env, cluster), topicFresh };
    lab.value = done;
    labSetup.value = { ...labSetup.value, running: false };
    return done;
  } catch (e) {
    step(current, "failed");
    labSetup.value = { ...labSetup.value, running: false, error: asBridgeError(e) };
    return null;
  } finally {
    labLooked.value = true;
  }
}

/** Re-reads the lesson cluster (e.g. its CKUs after scaling). */
export async function refreshLabCluster(): Promise<ClusterView | null> {
  const l = lab.value;
  if (!l) return null;
  const cluster = await call(commands.getCluster(LAB.conn, l.env.id, l.cluster.id));
  if (lab.value?.cluster.id === cluster.id) lab.value = { ...lab.value, cluster };
  return cluster;
}

/** Deletes and re-creates the lesson topic (empty), retrying while the old one is still going. */
export async function recreateLabTopic(l: Lab, deadlineMs = 60_000): Promise<void> {
  const { environment_id: env, cluster_id: cluster } = l.target;
  try {
    await call(commands.deleteTopic(LAB.conn, env, cluster, LAB.topic));
  } catch (e) {
    const be = asBridgeError(e);
    if (be.code !== "CLOUD_NOT_FOUND" && be.code !== "KAFKA_TOPIC_MISSING") throw e;
  }
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      await call(commands.createTopic(LAB.conn, env, cluster, { name: LAB.topic, partitions: LAB.partitions, configs: [] }));
      break;
    } catch (e) {
      // The broker may still be deleting the old one ("already exists" / marked for deletion).
      if (Date.now() > end || asBridgeError(e).code === "VALIDATION") throw e;
      await sleep(timing.pollMs);
    }
  }
  if (lab.value?.cluster.id === l.cluster.id) lab.value = { ...lab.value, topicFresh: true };
}
