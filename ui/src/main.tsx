import { render } from "preact";

import { commands } from "./api";
import { App } from "./app";
import { events } from "./bindings";
import { lang } from "./i18n";
import { reloadConnections } from "./sections/Settings";
import { connections, sandboxStatus } from "./state";
import { applyTheme } from "./theme";
import "./styles.css";

applyTheme();
document.documentElement.lang = lang.value;
render(<App />, document.getElementById("app")!);

reloadConnections();
events.connectionsChanged.listen((e) => (connections.value = e.payload.connections));
events.sandboxStatus.listen((e) => (sandboxStatus.value = e.payload));
commands.sandboxStatus().then((s) => (sandboxStatus.value ??= s));

// Tell the backend when the first frame is on screen (the start-up benchmark reads its log line).
requestAnimationFrame(() => requestAnimationFrame(() => void commands.firstPaint()));
