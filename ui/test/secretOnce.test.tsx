import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { SecretOnceDialog } from "../src/components/SecretOnceDialog";
import { lang } from "../src/i18n";

const KEY = "7FJIYKQ4SGQDQ72H";
const SECRET = "gtH2gI504c0rqSppdMPqFu7BypmleQVImiJGNxlCNlhR2kNhGY86XGi49Rp3bmaY";

let writeText: ReturnType<typeof vi.fn>;
beforeEach(() => {
  lang.value = "en";
  writeText = vi.fn(() => Promise.resolve());
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
});
afterEach(cleanup);

/** What the browser does on Escape in a modal dialog: a cancelable "cancel" event. */
function pressEscape() {
  const ev = new Event("cancel", { cancelable: true });
  fireEvent(screen.getByTestId("secret-dialog"), ev);
  return ev;
}

describe("SecretOnceDialog", () => {
  it("opens modally with the key, the secret and the one-time warning", () => {
    render(<SecretOnceDialog keyId={KEY} secret={SECRET} onDone={() => {}} />);
    const dialog = screen.getByTestId("secret-dialog") as HTMLDialogElement;
    expect(dialog.tagName).toBe("DIALOG");
    expect(dialog.open).toBe(true);
    expect(screen.getByTestId("secret-key").textContent).toBe(KEY);
    expect(screen.getByTestId("secret-value").textContent).toBe(SECRET);
    expect(dialog.textContent).toContain(
      "This is the only time the secret is shown. Gureum keeps it in your OS keyring to use it, but you can't view it again — copy it now if you need it elsewhere.",
    );
    expect(screen.queryByTestId("secret-status")).toBeNull();
  });

  it("copies the secret and the key id", async () => {
    render(<SecretOnceDialog keyId={KEY} secret={SECRET} onDone={() => {}} />);
    fireEvent.click(screen.getByTestId("secret-copy"));
    await waitFor(() => expect(screen.getByTestId("secret-copy").textContent).toBe("✓ Copied"));
    expect(writeText).toHaveBeenLastCalledWith(SECRET);
    fireEvent.click(screen.getByTestId("secret-copy-key"));
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith(KEY));
  });

  it("won't close on Escape or Done until the user ticks that they have it", () => {
    const onDone = vi.fn();
    render(<SecretOnceDialog keyId={KEY} secret={SECRET} onDone={onDone} />);
    const done = screen.getByTestId("secret-done") as HTMLButtonElement;
    expect(done.disabled).toBe(true);
    fireEvent.click(done);
    const ev = pressEscape();
    expect(ev.defaultPrevented).toBe(true);
    expect(onDone).not.toHaveBeenCalled();
    // Escape explains itself and puts focus on the checkbox.
    expect(screen.getByTestId("secret-nudge").textContent).toBe("Tick the box first: the secret won't be shown again.");
    expect(document.activeElement).toBe(screen.getByTestId("secret-ack"));

    fireEvent.click(screen.getByTestId("secret-ack"));
    expect(screen.queryByTestId("secret-nudge")).toBeNull();
    expect(done.disabled).toBe(false);
    fireEvent.click(done);
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it("once ticked, Escape is a deliberate Done", () => {
    const onDone = vi.fn();
    render(<SecretOnceDialog keyId={KEY} secret={SECRET} onDone={onDone} />);
    fireEvent.click(screen.getByTestId("secret-ack"));
    expect(pressEscape().defaultPrevented).toBe(true);
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it("shows a status line that can change while it is open", () => {
    const { rerender } = render(<SecretOnceDialog keyId={KEY} secret={SECRET} status="Waiting for the key to become usable… attempt 1" onDone={() => {}} />);
    expect(screen.getByTestId("secret-status").textContent).toBe("Waiting for the key to become usable… attempt 1");
    rerender(<SecretOnceDialog keyId={KEY} secret={SECRET} status="Waiting for the key to become usable… attempt 3" onDone={() => {}} />);
    expect(screen.getByTestId("secret-status").textContent).toBe("Waiting for the key to become usable… attempt 3");
    expect(screen.getByTestId("secret-value").textContent).toBe(SECRET);
  });

  it("speaks Korean", () => {
    lang.value = "ko";
    render(<SecretOnceDialog keyId={KEY} secret={SECRET} onDone={() => {}} />);
    expect(screen.getByTestId("secret-done").textContent).toBe("완료");
    expect(screen.getByTestId("secret-dialog").textContent).toContain("시크릿은 지금 한 번만 보여 줍니다.");
  });
});
