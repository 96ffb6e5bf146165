import { Modal } from "./Modal";

interface Props {
  title: string;
  body: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A modal confirmation on the native <dialog>: focus starts on Cancel, Escape cancels. */
export function ConfirmDialog(p: Props) {
  return (
    <Modal testid="confirm-dialog" labelledBy="confirm-title" onEscape={() => p.onCancel()}>
      <h2 id="confirm-title">{p.title}</h2>
      <p>{p.body}</p>
      <div class="actions">
        <button type="button" autofocus onClick={p.onCancel} data-testid="confirm-cancel">
          {p.cancelLabel}
        </button>
        <button type="button" class="danger" onClick={p.onConfirm} data-testid="confirm-ok">
          {p.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
