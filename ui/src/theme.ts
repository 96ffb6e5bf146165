// Light and dark follow the OS (prefers-color-scheme) unless the user picks one in Settings.
import { signal } from "@preact/signals";

export type ThemeChoice = "system" | "light" | "dark";

const stored = globalThis.localStorage?.getItem("gureum.theme");
export const theme = signal<ThemeChoice>(stored === "light" || stored === "dark" ? stored : "system");

export function applyTheme(choice: ThemeChoice = theme.value) {
  theme.value = choice;
  if (choice === "system") {
    localStorage.removeItem("gureum.theme");
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem("gureum.theme", choice);
    document.documentElement.dataset.theme = choice;
  }
}
