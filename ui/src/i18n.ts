// UI strings in English and Korean. The language follows the OS unless chosen in Settings.
import { signal } from "@preact/signals";

export type Lang = "en" | "ko";

const en = {
  "app.tagline": "Cloud Kafka console",
  "nav.clusters": "Clusters",
  "nav.topics": "Topics",
  "nav.apiKeys": "API keys",
  "nav.send": "Send",
  "nav.metrics": "Metrics",
  "nav.learn": "Learn",
  "nav.settings": "Settings",
  "nav.connection": "Connection",
  "section.clusters.empty": "Environments and Kafka clusters of the selected connection will be listed here.",
  "section.topics.empty": "Topics of the selected cluster will be listed here.",
  "section.apiKeys.empty": "API keys and service accounts of the selected connection will be listed here.",
  "section.send.empty": "Send records to a topic and read back the broker's RecordMetadata here.",
  "section.metrics.empty": "Charts of bytes, records, connections and partitions will be drawn here.",
  "section.learn.empty": "Hands-on lessons on how Kafka as a service works will live here.",
  "section.notYet": "Not available in this build yet.",
  "settings.connections": "Connections",
  "settings.connections.help": "The sandbox cloud is built in. Add a Confluent Cloud organisation or any Kafka cluster; secrets go only to the OS keyring.",
  "settings.add": "Add connection",
  "settings.edit": "Edit",
  "settings.remove": "Remove",
  "settings.builtin": "built in",
  "settings.appearance": "Appearance",
  "settings.theme": "Theme",
  "settings.theme.system": "Follow the system",
  "settings.theme.light": "Light",
  "settings.theme.dark": "Dark",
  "settings.language": "Language",
  "settings.about": "About",
  "settings.version": "Version",
  "settings.configDir": "Settings folder",
  "settings.secretStore": "Secrets kept in",
  "settings.removeTitle": "Remove “{name}”?",
  "settings.removeBody": "Its settings and its secret in the OS keyring will be deleted. This can't be undone.",
  "kind.sandbox": "Sandbox cloud",
  "kind.confluent_cloud": "Confluent Cloud",
  "kind.kafka": "Kafka cluster",
  "form.newTitle": "New connection",
  "form.editTitle": "Edit connection",
  "form.name": "Name",
  "form.kind": "Type",
  "form.cloud_api_key": "Cloud API key",
  "form.secret.cloud": "Cloud API secret",
  "form.secret.sasl": "SASL password",
  "form.secret.keep": "Leave empty to keep the stored secret.",
  "form.secret.where": "Stored only in the OS keyring.",
  "form.cloud_api_url": "Cloud API URL",
  "form.metrics_api_url": "Metrics API URL",
  "form.bootstrap_servers": "Bootstrap servers",
  "form.bootstrap_servers.hint": "host:port, comma-separated",
  "form.security_protocol": "Security protocol",
  "form.sasl_mechanism": "SASL mechanism",
  "form.sasl_username": "SASL username",
  "form.ssl_ca_location": "CA certificate file (optional)",
  "form.save": "Save",
  "form.saving": "Saving…",
  "form.cancel": "Cancel",
  "form.saved": "Saved “{name}”.",
  "form.removed": "Removed “{name}”.",
  "secret.stored": "Secret is in the OS keyring.",
  "secret.missing": "No secret in the OS keyring: enter it again.",
  "secret.not_needed": "",
  "common.confirm": "Remove",
  "common.cancel": "Cancel",
  "common.dismiss": "Dismiss",
  "common.loading": "Loading…",
  "error.title": "Something went wrong",
};

export type Key = keyof typeof en;

const ko: Record<Key, string> = {
  "app.tagline": "클라우드 카프카 콘솔",
  "nav.clusters": "클러스터",
  "nav.topics": "토픽",
  "nav.apiKeys": "API 키",
  "nav.send": "보내기",
  "nav.metrics": "메트릭",
  "nav.learn": "배우기",
  "nav.settings": "설정",
  "nav.connection": "연결",
  "section.clusters.empty": "선택한 연결의 환경과 카프카 클러스터가 여기에 표시됩니다.",
  "section.topics.empty": "선택한 클러스터의 토픽이 여기에 표시됩니다.",
  "section.apiKeys.empty": "선택한 연결의 API 키와 서비스 계정이 여기에 표시됩니다.",
  "section.send.empty": "토픽에 레코드를 보내고 브로커가 돌려준 RecordMetadata를 여기서 봅니다.",
  "section.metrics.empty": "바이트, 레코드, 연결, 파티션 차트가 여기에 그려집니다.",
  "section.learn.empty": "카프카 SaaS가 어떻게 동작하는지 직접 해 보는 레슨이 여기에 있습니다.",
  "section.notYet": "이 빌드에는 아직 없습니다.",
  "settings.connections": "연결",
  "settings.connections.help": "샌드박스 클라우드는 기본으로 들어 있습니다. Confluent Cloud 조직이나 카프카 클러스터를 추가하세요. 비밀 값은 OS 키링에만 저장됩니다.",
  "settings.add": "연결 추가",
  "settings.edit": "편집",
  "settings.remove": "삭제",
  "settings.builtin": "기본 제공",
  "settings.appearance": "화면",
  "settings.theme": "테마",
  "settings.theme.system": "시스템 설정 따르기",
  "settings.theme.light": "밝게",
  "settings.theme.dark": "어둡게",
  "settings.language": "언어",
  "settings.about": "정보",
  "settings.version": "버전",
  "settings.configDir": "설정 폴더",
  "settings.secretStore": "비밀 값 저장소",
  "settings.removeTitle": "“{name}” 연결을 삭제할까요?",
  "settings.removeBody": "설정과 OS 키링에 있는 비밀 값이 함께 삭제됩니다. 되돌릴 수 없습니다.",
  "kind.sandbox": "샌드박스 클라우드",
  "kind.confluent_cloud": "Confluent Cloud",
  "kind.kafka": "카프카 클러스터",
  "form.newTitle": "새 연결",
  "form.editTitle": "연결 편집",
  "form.name": "이름",
  "form.kind": "종류",
  "form.cloud_api_key": "Cloud API 키",
  "form.secret.cloud": "Cloud API 시크릿",
  "form.secret.sasl": "SASL 비밀번호",
  "form.secret.keep": "비워 두면 저장된 값을 그대로 씁니다.",
  "form.secret.where": "OS 키링에만 저장됩니다.",
  "form.cloud_api_url": "Cloud API URL",
  "form.metrics_api_url": "Metrics API URL",
  "form.bootstrap_servers": "부트스트랩 서버",
  "form.bootstrap_servers.hint": "host:port, 쉼표로 구분",
  "form.security_protocol": "보안 프로토콜",
  "form.sasl_mechanism": "SASL 메커니즘",
  "form.sasl_username": "SASL 사용자 이름",
  "form.ssl_ca_location": "CA 인증서 파일 (선택)",
  "form.save": "저장",
  "form.saving": "저장 중…",
  "form.cancel": "취소",
  "form.saved": "“{name}” 저장됨.",
  "form.removed": "“{name}” 삭제됨.",
  "secret.stored": "비밀 값이 OS 키링에 있습니다.",
  "secret.missing": "OS 키링에 비밀 값이 없습니다. 다시 입력하세요.",
  "secret.not_needed": "",
  "common.confirm": "삭제",
  "common.cancel": "취소",
  "common.dismiss": "닫기",
  "common.loading": "불러오는 중…",
  "error.title": "문제가 생겼습니다",
};

const dictionaries: Record<Lang, Record<Key, string>> = { en, ko };

export function systemLang(): Lang {
  return (navigator.language || "en").toLowerCase().startsWith("ko") ? "ko" : "en";
}

const saved = (globalThis.localStorage?.getItem("gureum.lang") ?? "") as Lang | "";
export const lang = signal<Lang>(saved === "en" || saved === "ko" ? saved : systemLang());

export function setLang(l: Lang | "system") {
  if (l === "system") localStorage.removeItem("gureum.lang");
  else localStorage.setItem("gureum.lang", l);
  lang.value = l === "system" ? systemLang() : l;
  document.documentElement.lang = lang.value;
}

/** Looks up `key` in the current language and fills `{name}`-style placeholders. */
export function t(key: Key, vars: Record<string, string> = {}): string {
  return dictionaries[lang.value][key].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);
}
