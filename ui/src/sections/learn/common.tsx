// What every lesson page shares: the frame (why → try it → by hand), the progress chips, and the
// lesson cluster's set-up card.
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";

import { ErrorView } from "../../components/ErrorView";
import { type Key, t } from "../../i18n";
import { sandboxStatus, section } from "../../state";
import { LAB, type Lab, findLab, setUpLab } from "./lab";
import { SETUP_STEPS, lab, labLooked, labSetup } from "./state";
import { LESSONS, type LessonId, progress, resetLesson, stepKey, titleKey } from "./progress";

export function LessonFrame({ id, why, byHand, children }: { id: LessonId; why: ComponentChildren; byHand: Key[]; children: ComponentChildren }) {
  const n = LESSONS.findIndex((l) => l.id === id) + 1;
  return (
    <article class="lesson" data-testid={`lesson-${n}`} aria-labelledby={`h-lesson-${n}`}>
      <header class="lesson-head">
        <p class="muted small">{t("learn.lessonN", { n: String(n) })}</p>
        <h2 id={`h-lesson-${n}`} tabIndex={-1}>
          {t(titleKey(id))}
        </h2>
        <Steps id={id} />
      </header>
      <section class="lesson-why" aria-label={t("learn.why")}>
        {why}
      </section>
      <section class="lesson-try card" aria-labelledby={`h-try-${n}`}>
        <h3 id={`h-try-${n}`}>{t("learn.tryIt")}</h3>
        {children}
      </section>
      {byHand.length ? (
        <aside class="lesson-byhand" data-testid={`byhand-${n}`} aria-labelledby={`h-hand-${n}`}>
          <h3 id={`h-hand-${n}`}>{t("learn.byHand")}</h3>
          <ul>
            {byHand.map((k) => (
              <li key={k}>{t(k)}</li>
            ))}
          </ul>
        </aside>
      ) : null}
    </article>
  );
}

/** The lesson's steps with a tick for each one done, and a way to start over. */
function Steps({ id }: { id: LessonId }) {
  const lesson = LESSONS.find((l) => l.id === id)!;
  const done = progress.value[id] ?? [];
  return (
    <div class="lesson-steps" aria-label={t("learn.progress.label")}>
      <ol>
        {lesson.steps.map((s) => {
          const ok = done.includes(s);
          return (
            <li key={s} class={ok ? "done" : undefined} data-testid={`step-${id}-${s}`} data-done={ok ? "true" : "false"}>
              <span aria-hidden="true">{ok ? "✓" : "○"}</span> {t(stepKey(id, s))}
            </li>
          );
        })}
      </ol>
      {done.length ? (
        <button type="button" class="ghost small" data-testid={`reset-${id}`} onClick={() => resetLesson(id)}>
          {t("learn.progress.reset")}
        </button>
      ) : null}
    </div>
  );
}

/** Says when the sandbox can't run lessons (stopped or failed), with the way to fix it. */
export function SandboxGate({ children }: { children: ComponentChildren }) {
  const state = sandboxStatus.value?.state ?? "starting";
  if (state === "starting")
    return (
      <p class="muted" data-testid="learn-sandbox-starting">
        <span class="spinner" aria-hidden="true" /> {t("learn.sandboxStarting")}
      </p>
    );
  if (state !== "running")
    return (
      <div class="learn-blocked" data-testid="learn-sandbox-down">
        <p>{t("learn.sandboxStopped")}</p>
        {sandboxStatus.value?.message ? <p class="muted small">{sandboxStatus.value.message}</p> : null}
        <button type="button" onClick={() => (section.value = "settings")}>
          {t("learn.openSettings")}
        </button>
      </div>
    );
  return <>{children}</>;
}

const STATE_ICON = { pending: "○", running: "◌", created: "✓", reused: "✓", failed: "✕" } as const;

function stepNote(note: string | undefined): string {
  if (!note) return "";
  if (note.startsWith("provisioning:")) return t("learn.lab.provisioning", { s: note.slice(13) });
  if (note.startsWith("wait:")) return t("learn.lab.keyWait", { n: note.slice(5) });
  return note;
}

/** The lesson cluster: found or set up here, with each step's progress. */
export function LabCard() {
  const l = lab.value;
  const s = labSetup.value;
  useEffect(() => {
    if (!labLooked.value && !lab.value && !labSetup.value.running) void findLab();
  }, []);
  if (l && !s.running) {
    return (
      <p class="lab-ready" data-testid="lab-ready" data-cluster={l.cluster.id}>
        <span aria-hidden="true">✓ </span>
        {t("learn.lab.ready", { cluster: l.cluster.name, id: l.cluster.id, cku: String(l.cluster.cku ?? LAB.cku), topic: LAB.topic })}
      </p>
    );
  }
  const labels: Record<(typeof SETUP_STEPS)[number], string> = {
    env: t("learn.lab.step.env", { name: LAB.env }),
    cluster: t("learn.lab.step.cluster", { name: LAB.cluster }),
    account: t("learn.lab.step.account", { name: LAB.account }),
    key: t("learn.lab.step.key"),
    topic: t("learn.lab.step.topic", { name: LAB.topic }),
  };
  return (
    <div class="lab-card" data-testid="lab-card">
      <h4>{t("learn.lab.title")}</h4>
      <p class="muted small">{t("learn.lab.explain", { env: LAB.env, cluster: LAB.cluster, topic: LAB.topic })}</p>
      <ol class="lab-steps" aria-live="polite">
        {SETUP_STEPS.map((id) => {
          const st = s.steps[id];
          return (
            <li key={id} data-testid={`lab-step-${id}`} data-state={st.state} class={`lab-step ${st.state}`}>
              <span class="lab-icon" aria-hidden="true">
                {st.state === "running" ? <span class="spinner" /> : STATE_ICON[st.state]}
              </span>
              <span>{labels[id]}</span>
              <span class="muted small">
                {t(`learn.lab.state.${st.state}` as Key)}
                {st.note ? ` · ${stepNote(st.note)}` : ""}
              </span>
            </li>
          );
        })}
      </ol>
      {s.error ? <ErrorView error={s.error} testid="lab-error" /> : null}
      <div class="actions start">
        <button type="button" class="primary" data-testid="lab-setup" disabled={s.running} onClick={() => void setUpLab()}>
          {s.running ? t("learn.lab.settingUp") : t("learn.lab.setUp")}
        </button>
      </div>
    </div>
  );
}

/** The set-up card, then the lesson's exercise once the lesson cluster is there. */
export function WithLab({ children }: { children: (l: Lab) => ComponentChildren }) {
  const l = lab.value;
  return (
    <SandboxGate>
      <LabCard />
      {l && !labSetup.value.running ? children(l) : <p class="muted small">{t("learn.lab.needed")}</p>}
    </SandboxGate>
  );
}
