import { useEffect, useRef } from "preact/hooks";

/** A ref for a native <dialog> that opens it as a modal once mounted (focus trap, inert page). */
export function useModal() {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal?.();
  }, []);
  return ref;
}
