import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { TypeToConfirm } from "../src/components/TypeToConfirm";
import { lang } from "../src/i18n";

beforeEach(() => {
  lang.value = "en";
});
afterEach(cleanup);

function setup(extra: { busy?: boolean } = {}) {
  const onConfirm = vi.fn();
  const onCancel = vi.fn();
  const props = {
    title: "Delete cluster “orders”?",
    body: "Its topics and data are deleted with it. This can't be undone.",
    name: "orders",
    confirmLabel: "Delete cluster",
    busyLabel: "Deleting…",
    onConfirm,
    onCancel,
  };
  const r = render(<TypeToConfirm {...props} {...extra} />);
  return { onConfirm, onCancel, props, rerender: r.rerender };
}
const input = () => screen.getByTestId("typeconfirm-input") as HTMLInputElement;
const ok = () => screen.getByTestId("typeconfirm-ok") as HTMLButtonElement;

describe("TypeToConfirm", () => {
  it("opens modally, names what to type, and starts disarmed", () => {
    setup();
    const dialog = screen.getByTestId("typeconfirm-dialog") as HTMLDialogElement;
    expect(dialog.tagName).toBe("DIALOG");
    expect(dialog.open).toBe(true);
    expect(dialog.textContent).toContain("Delete cluster “orders”?");
    expect(dialog.textContent).toContain("Type orders to confirm.");
    expect(ok().disabled).toBe(true);
  });

  it("arms only on the exact name", () => {
    const { onConfirm } = setup();
    for (const wrong of ["order", "Orders", "orders ", " orders", "orders2"]) {
      fireEvent.input(input(), { target: { value: wrong } });
      expect(ok().disabled).toBe(true);
      fireEvent.submit(input().form!);
    }
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.input(input(), { target: { value: "orders" } });
    expect(ok().disabled).toBe(false);
    fireEvent.click(ok());
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it("Enter in the field confirms once armed", () => {
    const { onConfirm } = setup();
    fireEvent.input(input(), { target: { value: "orders" } });
    fireEvent.submit(input().form!);
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it("Cancel and Escape cancel without confirming", () => {
    const { onConfirm, onCancel } = setup();
    fireEvent.input(input(), { target: { value: "orders" } });
    fireEvent.click(screen.getByTestId("typeconfirm-cancel"));
    expect(onCancel).toHaveBeenCalledTimes(1);
    const ev = new Event("cancel", { cancelable: true });
    fireEvent(screen.getByTestId("typeconfirm-dialog"), ev);
    expect(ev.defaultPrevented).toBe(true);
    expect(onCancel).toHaveBeenCalledTimes(2);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it("stays disabled while busy, showing the busy label", () => {
    const { onConfirm } = setup({ busy: true });
    fireEvent.input(input(), { target: { value: "orders" } });
    expect(ok().disabled).toBe(true);
    expect(ok().textContent).toBe("Deleting…");
    fireEvent.submit(input().form!);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it("speaks Korean", () => {
    lang.value = "ko";
    setup();
    expect(screen.getByTestId("typeconfirm-dialog").textContent).toContain("확인하려면 orders을(를) 그대로 입력하세요.");
    expect(screen.getByTestId("typeconfirm-cancel").textContent).toBe("취소");
  });
});
