import type { ComponentChildren } from "preact";

import { useModal } from "./modal";

interface Props {
  /** Extra classes after `confirm` (the dialogs' shared look). */
  class?: string;
  testid: string;
  /** The id of the heading that names the dialog. */
  labelledBy: string;
  describedBy?: string;
  /** Escape: the dialog never closes itself; this decides (cancel, or refuse and say why). */
  onEscape: () => void;
  children: ComponentChildren;
}

/** Every modal of the app: a native <dialog> opened as a modal (focus trap, inert page) whose
 * Escape goes through `onEscape`. */
export function Modal(p: Props) {
  const ref = useModal();
  return (
    <dialog
      ref={ref}
      class={p.class ? `confirm ${p.class}` : "confirm"}
      data-testid={p.testid}
      aria-labelledby={p.labelledBy}
      aria-describedby={p.describedBy}
      onCancel={(e) => {
        e.preventDefault();
        p.onEscape();
      }}
    >
      {p.children}
    </dialog>
  );
}
