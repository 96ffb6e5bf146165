import { useEffect } from "preact/hooks";

import iconUrl from "../../icons/icon.svg?url";

import { ErrorBanner } from "./components/ErrorBanner";
import { SecretsNotice } from "./components/SecretsNotice";
import { t } from "./i18n";
import { ApiKeys } from "./sections/ApiKeys";
import { Clusters } from "./sections/Clusters";
import { Learn } from "./sections/Learn";
import { WalkDock } from "./sections/learn/Lesson7";
import { Metrics } from "./sections/Metrics";
import { Send } from "./sections/Send";
import { Settings } from "./sections/Settings";
import { Topics } from "./sections/Topics";
import { Welcome } from "./sections/Welcome";
import { SECTIONS, type Page, activeConnectionId, connections, notice, section } from "./state";

function Content({ id }: { id: Page }) {
  switch (id) {
    case "welcome":
      return <Welcome />;
    case "clusters":
      return <Clusters />;
    case "topics":
      return <Topics />;
    case "api-keys":
      return <ApiKeys />;
    case "send":
      return <Send />;
    case "metrics":
      return <Metrics />;
    case "learn":
      return <Learn />;
    case "settings":
      return <Settings />;
  }
}

/** Alt+1…Alt+7 jump between sections. */
function useSectionShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      const target = SECTIONS[n - 1];
      if (Number.isInteger(n) && target) {
        e.preventDefault();
        section.value = target.id;
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

export function App() {
  useSectionShortcuts();
  const current = SECTIONS.find((s) => s.id === section.value);
  const id: Page = current?.id ?? "welcome";
  return (
    <div class="shell">
      <nav class="sidebar" aria-label="Sections">
        <button
          type="button"
          class="brand brand-button"
          data-testid="nav-welcome"
          aria-current={id === "welcome" ? "page" : undefined}
          title={t("welcome.nav")}
          onClick={() => (section.value = "welcome")}
        >
          <img src={iconUrl} alt="" width="28" height="28" />
          <div>
            <div class="brand-name">Gureum</div>
            <div class="brand-tagline">{t("app.tagline")}</div>
          </div>
        </button>
        <ul>
          {SECTIONS.map((s, i) => (
            <li key={s.id}>
              <button
                type="button"
                class="nav-item"
                data-testid={`nav-${s.id}`}
                aria-current={s.id === section.value ? "page" : undefined}
                title={`${t(s.label)} (Alt+${i + 1})`}
                onClick={() => (section.value = s.id)}
              >
                <svg class="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
                  <path d={s.icon} />
                </svg>
                <span class="nav-label">{t(s.label)}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div class="main">
        <header class="topbar">
          <h1 data-testid="section-title">{current ? t(current.label) : t("welcome.nav")}</h1>
          <label class="connection-picker">
            <span>{t("nav.connection")}</span>
            <select
              data-testid="active-connection"
              value={activeConnectionId.value}
              onChange={(e) => (activeConnectionId.value = e.currentTarget.value)}
            >
              {connections.value.map((c) => (
                <option value={c.id} key={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        </header>
        <ErrorBanner />
        <SecretsNotice />
        {notice.value ? (
          <div class="notice" role="status" data-testid="notice">
            {notice.value}
          </div>
        ) : null}
        <main class="content" data-testid={`section-${id}`}>
          <Content id={id} />
        </main>
      </div>
      <WalkDock />
    </div>
  );
}
