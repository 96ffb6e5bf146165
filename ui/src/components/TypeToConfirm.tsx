import { useState } from "preact/hooks";

import { t } from "../i18n";
import { Modal } from "./Modal";

interface Props {
  title: string;
  body: string;
  /** The resource's exact name: the danger button stays disabled until it is typed. */
  name: string;
  confirmLabel: string;
  /** While the deletion runs: the button shows this and stays disabled. */
  busyLabel?: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A deletion that can't be undone: type the name to arm the button. Escape and Cancel back out. */
export function TypeToConfirm(p: Props) {
  const [typed, setTyped] = useState("");
  // Exact and case-sensitive: "Orders" doesn't delete "orders".
  const armed = typed === p.name && !p.busy;
  return (
    <Modal class="typeconfirm" testid="typeconfirm-dialog" labelledBy="typeconfirm-title" onEscape={() => p.onCancel()}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (armed) p.onConfirm();
        }}
      >
        <h2 id="typeconfirm-title">{p.title}</h2>
        <p>{p.body}</p>
        <label class="field" for="typeconfirm-input">
          <span>
            {t("typeConfirm.prompt.before")}
            <code class="typeconfirm-name">{p.name}</code>
            {t("typeConfirm.prompt.after")}
          </span>
          <input
            id="typeconfirm-input"
            data-testid="typeconfirm-input"
            value={typed}
            autoFocus
            autocomplete="off"
            spellcheck={false}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </label>
        <div class="actions">
          <button type="button" onClick={p.onCancel} data-testid="typeconfirm-cancel">
            {t("common.cancel")}
          </button>
          <button type="submit" class="danger solid" disabled={!armed} data-testid="typeconfirm-ok">
            {p.busy && p.busyLabel ? p.busyLabel : p.confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
