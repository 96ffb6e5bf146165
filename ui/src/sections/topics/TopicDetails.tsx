import { useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../../api";
import type { TopicConfigView } from "../../bindings";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Equivalent } from "../../components/Equivalent";
import { type TopicTarget, alterTopicConfigs, deleteTopic } from "../../equivalents";
import { t } from "../../i18n";
import { flash, shownError } from "../../state";
import { useCommand } from "../../useCommand";

interface Props {
  conn: string;
  target: TopicTarget;
  topic: string;
  onClose: () => void;
  onDeleted: () => void;
}

/** A topic's configs, editable where the service allows it, and its deletion. */
export function TopicDetails({ conn, target, topic, onClose, onDeleted }: Props) {
  const { data: configs, reload } = useCommand<TopicConfigView[]>(() => call(commands.topicConfigs(conn, target.envId, target.clusterId, topic)), [topic], (e) => (shownError.value = e));
  const [edits, setEdits] = useState<Record<string, string | null>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const changes = Object.entries(edits).map(([name, value]) => ({ name, value }));

  async function save() {
    setSaving(true);
    setError(null);
    try {
      await call(commands.alterTopicConfigs(conn, target.envId, target.clusterId, topic, changes));
      flash(t("topics.configsSaved", { name: topic }));
      setEdits({});
      reload();
    } catch (e) {
      const be = asBridgeError(e);
      // The service's refusal (e.g. a locked config) is about these edits: keep them and say why.
      setError(be.fields?.configs ?? be.detail ?? be.message);
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    setConfirming(false);
    try {
      await call(commands.deleteTopic(conn, target.envId, target.clusterId, topic));
      flash(t("topics.deleted", { name: topic }));
      onDeleted();
    } catch (e) {
      shownError.value = asBridgeError(e);
    }
  }

  return (
    <section class="card topic-details" data-testid="topic-details" aria-labelledby="h-topic">
      <div class="card-head">
        <h2 id="h-topic">{topic}</h2>
        <button type="button" class="ghost" data-testid="topic-close" onClick={onClose} aria-label={t("common.dismiss")}>
          ×
        </button>
      </div>
      {!configs ? (
        <p class="muted" aria-busy="true">
          <span class="spinner" aria-hidden="true" /> {t("common.loading")}
        </p>
      ) : (
        <table class="configs-table" data-testid="topic-config-table">
          <thead>
            <tr>
              <th>{t("topics.configName")}</th>
              <th>{t("topics.configValue")}</th>
              <th>{t("topics.configSource")}</th>
            </tr>
          </thead>
          <tbody>
            {configs.map((c) => {
              const edited = c.name in edits;
              const value = edited ? (edits[c.name] ?? "") : (c.value ?? "");
              return (
                <tr key={c.name} data-config={c.name} class={edited ? "edited" : undefined}>
                  <td>
                    <code>{c.name}</code>
                  </td>
                  <td>
                    {c.is_read_only ? (
                      <span class="locked" title={t("topics.locked")}>
                        🔒 {c.value}
                      </span>
                    ) : (
                      <input
                        aria-label={c.name}
                        data-testid={`cfg-${c.name}`}
                        value={value}
                        placeholder={edited && edits[c.name] === null ? t("topics.default") : undefined}
                        onInput={(e) => setEdits({ ...edits, [c.name]: e.currentTarget.value })}
                      />
                    )}
                  </td>
                  <td class="muted small">
                    {c.is_default ? t("topics.default") : c.source}
                    {!c.is_default && !c.is_read_only ? (
                      <button type="button" class="ghost small" onClick={() => setEdits({ ...edits, [c.name]: null })}>
                        {t("topics.reset")}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {error ? (
        <p class="field-error" role="alert" data-testid="topic-config-error">
          {error}
        </p>
      ) : null}
      {changes.length ? (
        <>
          <Equivalent eq={alterTopicConfigs({ ...target, topic, changes })} />
          <div class="actions">
            <button type="button" onClick={() => (setEdits({}), setError(null))}>
              {t("form.cancel")}
            </button>
            <button type="button" class="primary" disabled={saving} data-testid="topic-config-save" onClick={save}>
              {saving ? t("form.saving") : t("topics.saveConfigs", { n: String(changes.length) })}
            </button>
          </div>
        </>
      ) : null}
      <div class="danger-zone">
        <button type="button" class="danger" data-testid="topic-delete" onClick={() => setConfirming(true)}>
          {t("topics.delete")}
        </button>
        <Equivalent eq={deleteTopic({ ...target, topic })} />
      </div>
      {confirming ? (
        <ConfirmDialog
          title={t("topics.deleteTitle", { name: topic })}
          body={t("topics.deleteBody")}
          confirmLabel={t("topics.delete")}
          cancelLabel={t("common.cancel")}
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </section>
  );
}
