import { useRef, useState } from "preact/hooks";

import { t } from "../i18n";
import { Modal } from "./Modal";
import { CopyButton } from "./Equivalent";

interface Props {
  keyId: string;
  secret: string;
  /** Defaults to "API key created". */
  title?: string;
  /** A progress line under the secret, e.g. while waiting for the key to become usable. */
  status?: string | null;
  /** More about the key under the status (what it is authorized for, the ACLs added first). */
  extra?: preact.ComponentChildren;
  onDone: () => void;
}

/**
 * Shows a new API key's secret the one time Confluent returns it. Leaving takes an explicit tick and "Done":
 * Escape is refused until the box is ticked, so the secret can't vanish by a stray key press.
 */
export function SecretOnceDialog(p: Props) {
  const ackRef = useRef<HTMLInputElement>(null);
  const [ack, setAck] = useState(false);
  const [nudged, setNudged] = useState(false);
  const escape = () => {
    if (ack) p.onDone();
    else {
      setNudged(true);
      ackRef.current?.focus();
    }
  };
  return (
    <Modal class="secret-once" testid="secret-dialog" labelledBy="secret-title" describedBy="secret-warning" onEscape={escape}>
      <h2 id="secret-title">{p.title ?? t("secretOnce.title")}</h2>
      <p id="secret-warning" class="secret-warning" role="note">
        {t("secretOnce.warning")}
      </p>
      <dl class="secret-pair">
        <dt>{t("secretOnce.key")}</dt>
        <dd>
          <code data-testid="secret-key">{p.keyId}</code>
          <CopyButton text={p.keyId} testid="secret-copy-key" label={`${t("copy.copy")}: ${t("secretOnce.key")}`} />
        </dd>
        <dt>{t("secretOnce.secret")}</dt>
        <dd>
          <code data-testid="secret-value">{p.secret}</code>
          <CopyButton text={p.secret} testid="secret-copy" label={`${t("copy.copy")}: ${t("secretOnce.secret")}`} />
        </dd>
      </dl>
      {p.status ? (
        <p class="muted" role="status" data-testid="secret-status">
          {p.status}
        </p>
      ) : null}
      {p.extra}
      <label class={nudged && !ack ? "secret-ack nudged" : "secret-ack"}>
        <input ref={ackRef} type="checkbox" data-testid="secret-ack" checked={ack} onChange={(e) => setAck(e.currentTarget.checked)} />
        {t("secretOnce.ack")}
      </label>
      {nudged && !ack ? (
        <p class="field-error" role="alert" data-testid="secret-nudge">
          {t("secretOnce.ackFirst")}
        </p>
      ) : null}
      <div class="actions">
        <button type="button" class="primary" disabled={!ack} onClick={() => ack && p.onDone()} data-testid="secret-done">
          {t("secretOnce.done")}
        </button>
      </div>
    </Modal>
  );
}
