// Every backend error code worded in English and Korean, from the error's structured fields
// (what was refused, which fields, the HTTP status, the key, the quoted name). The backend's own
// English `message` is shown only as detail. `Record<ErrorCode, …>`: a code added in Rust (and so
// in the generated bindings) without words here fails the typecheck; test/errors.test.ts also
// walks the codes of bindings.ts at run time.
import type { ErrorCode, Refused_Serialize as Refused } from "./bindings";
import { type Lang, lang, tIn } from "./i18n";

/** What any error display accepts: a bridge error, a bulk error group, a lesson's failure. */
export interface ErrorLike {
  code: ErrorCode | string;
  message: string;
  detail?: string | null;
  fields?: { [key in string]: string } | null;
  refused?: Pick<Refused, "operation" | "resource_type" | "resource_name"> & Partial<Pick<Refused, "key_id" | "topic" | "group">> | null;
}

/** The parameters the words are made from, all taken from the error's structure. */
export interface ErrorParams {
  /** The fields a VALIDATION or CLOUD_INVALID error names (`name, region`), or "". */
  fields: string;
  /** The HTTP status in `detail` ("HTTP 401: …" → "401"), or "". */
  status: string;
  /** A name the message quotes (“orders”, a cluster or connection), or "". */
  name: string;
  /** The API key a refusal names, or "". */
  key: string;
  /** NOT_AUTHORIZED: the operation and the resource in the current language ("READ", "topic “orders”"). */
  op: string;
  what: string;
}

type Say = (p: ErrorParams) => string;
interface Words {
  text: Say;
  hint?: Say;
}

const s = (text: string): Say => () => text;
/** " (HTTP 401)" when the status is known. */
const http = (p: ErrorParams) => (p.status ? ` (HTTP ${p.status})` : "");

export const ERROR_TEXT: Record<ErrorCode, Record<Lang, Words>> = {
  VALIDATION: {
    en: { text: (p) => (p.fields ? `Some fields need attention: ${p.fields}.` : "Some input needs attention."), hint: s("Correct what is marked, then try again.") },
    ko: { text: (p) => (p.fields ? `확인이 필요한 입력이 있습니다: ${p.fields}.` : "확인이 필요한 입력이 있습니다."), hint: s("표시된 부분을 고친 뒤 다시 시도하세요.") },
  },
  NOT_FOUND: {
    en: { text: (p) => (p.name ? `“${p.name}” was not found.` : "It was not found; it may have been removed meanwhile."), hint: s("Refresh and try again.") },
    ko: { text: (p) => (p.name ? `“${p.name}”을(를) 찾을 수 없습니다.` : "찾을 수 없습니다. 그 사이에 삭제되었을 수 있습니다."), hint: s("새로 고친 뒤 다시 시도하세요.") },
  },
  BUILTIN_READ_ONLY: {
    en: { text: s("The built-in sandbox connection can't be edited or removed."), hint: s("The sandbox cloud itself can be stopped and started in Settings.") },
    ko: { text: s("내장 샌드박스 연결은 수정하거나 삭제할 수 없습니다."), hint: s("샌드박스 클라우드 자체는 설정에서 중지하고 시작할 수 있습니다.") },
  },
  KEYRING_UNAVAILABLE: {
    en: { text: s("No OS keyring could be reached, so secrets can't be kept."), hint: s("Install and start a Secret Service (e.g. gnome-keyring), then restart Gureum.") },
    ko: { text: s("OS 키링에 연결할 수 없어 시크릿을 보관할 수 없습니다."), hint: s("Secret Service(예: gnome-keyring)를 설치해 실행한 뒤 Gureum을 다시 시작하세요.") },
  },
  KEYRING_LOCKED: {
    en: { text: s("The OS keyring is locked."), hint: s("Unlock it when your desktop asks, then try again.") },
    ko: { text: s("OS 키링이 잠겨 있습니다."), hint: s("데스크톱이 물어보면 키링의 잠금을 푼 뒤 다시 시도하세요.") },
  },
  KEYRING_ERROR: {
    en: { text: s("The OS keyring failed."), hint: s("Try again; if it keeps failing, check the keyring service.") },
    ko: { text: s("OS 키링에서 오류가 났습니다."), hint: s("다시 시도하세요. 계속 실패하면 키링 서비스를 확인하세요.") },
  },
  CONFIG_TOO_NEW: {
    en: { text: s("The settings file comes from a newer Gureum."), hint: s("Update Gureum; this version won't overwrite the file.") },
    ko: { text: s("설정 파일이 더 새 버전의 Gureum에서 만들어졌습니다."), hint: s("Gureum을 업데이트하세요. 이 버전은 그 파일을 덮어쓰지 않습니다.") },
  },
  CONFIG_CORRUPT: {
    en: { text: s("The settings file can't be read."), hint: s("Gureum won't overwrite it: fix or move the file named in the details, then restart.") },
    ko: { text: s("설정 파일을 읽을 수 없습니다."), hint: s("Gureum은 이 파일을 덮어쓰지 않습니다. 자세한 내용에 나온 파일을 고치거나 옮긴 뒤 다시 시작하세요.") },
  },
  CONFIG_IO: {
    en: { text: s("The settings folder could not be read or written."), hint: s("Check the folder's permissions and the free disk space.") },
    ko: { text: s("설정 폴더를 읽거나 쓰지 못했습니다."), hint: s("폴더 권한과 남은 디스크 공간을 확인하세요.") },
  },
  CLOUD_UNAUTHORIZED: {
    en: { text: (p) => `The Cloud API refused the key or secret${http(p)}.`, hint: s("Check both in Settings → Connections; a newly created key can take a few minutes to start working.") },
    ko: { text: (p) => `Cloud API가 키 또는 시크릿을 거부했습니다${http(p)}.`, hint: s("설정 → 연결에서 둘 다 확인하세요. 새로 만든 키는 동작하기까지 몇 분 걸릴 수 있습니다.") },
  },
  CLOUD_FORBIDDEN: {
    en: { text: (p) => `The Cloud API key's owner is not allowed to do this${http(p)}.`, hint: s("Grant it a role (e.g. OrganizationAdmin or EnvironmentAdmin) or use another key.") },
    ko: { text: (p) => `Cloud API 키의 소유자에게는 이 작업 권한이 없습니다${http(p)}.`, hint: s("역할(예: OrganizationAdmin, EnvironmentAdmin)을 부여하거나 다른 키를 쓰세요.") },
  },
  CLOUD_NOT_FOUND: {
    en: { text: s("It does not exist, or it was deleted."), hint: s("Refresh the list.") },
    ko: { text: s("존재하지 않거나 삭제되었습니다."), hint: s("목록을 새로 고치세요.") },
  },
  CLOUD_CONFLICT: {
    en: { text: (p) => (p.fields ? `That conflicts with what is already there: ${p.fields}.` : "That conflicts with what is already there."), hint: s("A name may be in use, or a change in progress: pick another name, or wait and try again.") },
    ko: { text: (p) => (p.fields ? `이미 있는 것과 충돌합니다: ${p.fields}.` : "이미 있는 것과 충돌합니다."), hint: s("이름이 이미 쓰이고 있거나 변경이 진행 중일 수 있습니다. 다른 이름을 고르거나 잠시 뒤 다시 시도하세요.") },
  },
  CLOUD_INVALID: {
    en: { text: (p) => (p.fields ? `The Cloud API refused the request as it stands: ${p.fields}.` : "The Cloud API refused the request as it stands."), hint: s("The server's own words are below; correct the input and try again.") },
    ko: { text: (p) => (p.fields ? `Cloud API가 요청을 그대로는 받지 않았습니다: ${p.fields}.` : "Cloud API가 요청을 그대로는 받지 않았습니다."), hint: s("아래에 서버의 설명(영어)이 있습니다. 입력을 고친 뒤 다시 시도하세요.") },
  },
  CLOUD_RATE_LIMITED: {
    en: { text: s("Too many requests to the Cloud API right now."), hint: s("Wait a moment and try again.") },
    ko: { text: s("지금은 Cloud API 요청이 너무 많습니다."), hint: s("잠시 기다린 뒤 다시 시도하세요.") },
  },
  CLOUD_UNREACHABLE: {
    en: { text: s("The Cloud API can't be reached."), hint: s("Check the network and the connection's Cloud API URL.") },
    ko: { text: s("Cloud API에 연결할 수 없습니다."), hint: s("네트워크와 연결의 Cloud API URL을 확인하세요.") },
  },
  CLOUD_TIMEOUT: {
    en: { text: s("The Cloud API did not answer in time."), hint: s("Try again in a moment.") },
    ko: { text: s("Cloud API가 제시간에 응답하지 않았습니다."), hint: s("잠시 뒤 다시 시도하세요.") },
  },
  CLOUD_SERVER: {
    en: { text: (p) => `The Cloud API had a problem on its side${http(p)}.`, hint: s("Try again later.") },
    ko: { text: (p) => `Cloud API 쪽에서 문제가 생겼습니다${http(p)}.`, hint: s("나중에 다시 시도하세요.") },
  },
  SANDBOX_NOT_READY: {
    en: { text: s("The sandbox cloud isn't running."), hint: s("It is starting, stopped, or failed to start: Settings → Connections says which, and starts it.") },
    ko: { text: s("샌드박스 클라우드가 실행 중이 아닙니다."), hint: s("시작 중이거나, 중지되었거나, 시작하지 못했습니다. 설정 → 연결에서 상태를 보고 시작할 수 있습니다.") },
  },
  NO_CLOUD_API: {
    en: { text: (p) => `${p.name ? `“${p.name}”` : "This connection"} is a Kafka cluster connection: it has no Cloud API.`, hint: s("Environments, clusters and keys need the sandbox or a Confluent Cloud connection.") },
    ko: { text: (p) => `${p.name ? `“${p.name}”` : "이 연결"}은(는) 카프카 클러스터 연결이라 Cloud API가 없습니다.`, hint: s("환경, 클러스터, 키를 다루려면 샌드박스나 Confluent Cloud 연결을 고르세요.") },
  },
  SECRET_MISSING: {
    en: { text: (p) => `The secret of ${p.name ? `“${p.name}”` : "this connection"} is not in the OS keyring.`, hint: s("Enter it again in Settings → Connections.") },
    ko: { text: (p) => `${p.name ? `“${p.name}”` : "이 연결"}의 시크릿이 OS 키링에 없습니다.`, hint: s("설정 → 연결에서 다시 입력하세요.") },
  },
  CLUSTER_NOT_READY: {
    en: { text: (p) => `${p.name ? `“${p.name}”` : "The cluster"} is not provisioned yet.`, hint: s("Try again once it is PROVISIONED.") },
    ko: { text: (p) => `${p.name ? `“${p.name}”` : "클러스터"}은(는) 아직 프로비저닝되지 않았습니다.`, hint: s("PROVISIONED가 되면 다시 시도하세요.") },
  },
  CLUSTER_KEY_MISSING: {
    en: { text: (p) => `Gureum holds no API key for ${p.name ? `“${p.name}”` : "this cluster"}.`, hint: s("Create one under API keys, or use an existing one: Gureum keeps its secret in the OS keyring and uses it.") },
    ko: { text: (p) => `Gureum에 ${p.name ? `“${p.name}”` : "이 클러스터"}의 API 키가 없습니다.`, hint: s("API 키 화면에서 새로 만들거나 기존 키를 쓰세요. Gureum이 시크릿을 OS 키링에 보관해 사용합니다.") },
  },
  CLUSTER_KEY_REFUSED: {
    en: { text: (p) => `The cluster refused the API key${p.key ? ` ${p.key}` : ""} that Gureum keeps for it.`, hint: s("It was deleted, or it is new and not usable yet: wait a minute, or create a new key.") },
    ko: { text: (p) => `클러스터가 Gureum이 보관한 API 키${p.key ? ` ${p.key}` : ""}를 거부했습니다.`, hint: s("삭제되었거나 새 키라 아직 쓸 수 없습니다. 잠시 기다리거나 새 키를 만드세요.") },
  },
  CANCELLED: {
    en: { text: s("Cancelled.") },
    ko: { text: s("취소되었습니다.") },
  },
  KAFKA_TOPIC_MISSING: {
    en: { text: (p) => `The topic${p.name ? ` “${p.name}”` : ""} isn't on the cluster.`, hint: s("It may have been deleted: refresh the topic list, or create it under Topics.") },
    ko: { text: (p) => `클러스터에 토픽${p.name ? ` “${p.name}”` : ""}이(가) 없습니다.`, hint: s("삭제되었을 수 있습니다. 토픽 목록을 새로 고치거나 토픽 화면에서 만드세요.") },
  },
  KAFKA_PARTITION_INVALID: {
    en: { text: s("That partition doesn't exist on the topic."), hint: s("Choose one from 0 to partitions − 1, or Automatic.") },
    ko: { text: s("토픽에 그 파티션이 없습니다."), hint: s("0부터 (파티션 수 − 1) 사이에서 고르거나 자동을 쓰세요.") },
  },
  KAFKA_RECORD_TOO_LARGE: {
    en: { text: s("The record is larger than the topic accepts."), hint: s("Send less, or raise max.message.bytes on the topic.") },
    ko: { text: s("레코드가 토픽이 받는 크기보다 큽니다."), hint: s("더 작게 보내거나 토픽의 max.message.bytes를 늘리세요.") },
  },
  KAFKA_AUTH_FAILED: {
    en: { text: s("The cluster refused the credentials."), hint: s("Check the API key (or SASL user) and its secret.") },
    ko: { text: s("클러스터가 자격 증명을 거부했습니다."), hint: s("API 키(또는 SASL 사용자)와 시크릿을 확인하세요.") },
  },
  NOT_AUTHORIZED: {
    en: { text: (p) => (p.op ? tIn("en", "refusal.sentence", { op: p.op, what: p.what }) : "The key's owner is not allowed to do this: no ACL allows it."), hint: s("Add the ACL that allows it, or use another key.") },
    ko: { text: (p) => (p.op ? tIn("ko", "refusal.sentence", { op: p.op, what: p.what }) : "키의 소유자에게 이 작업 권한이 없습니다: 허용하는 ACL이 없습니다."), hint: s("이를 허용하는 ACL을 추가하거나 다른 키를 쓰세요.") },
  },
  KAFKA_UNREACHABLE: {
    en: { text: s("No broker could be reached."), hint: s("Check the bootstrap servers, the network and the TLS settings.") },
    ko: { text: s("연결할 수 있는 브로커가 없습니다."), hint: s("부트스트랩 서버, 네트워크, TLS 설정을 확인하세요.") },
  },
  KAFKA_TIMEOUT: {
    en: { text: s("The cluster did not answer in time."), hint: s("It may be overloaded or unreachable. Try again.") },
    ko: { text: s("클러스터가 제시간에 응답하지 않았습니다."), hint: s("과부하이거나 연결할 수 없는 상태일 수 있습니다. 다시 시도하세요.") },
  },
  KAFKA_ERROR: {
    en: { text: s("Kafka reported an error."), hint: s("The client's own words are below.") },
    ko: { text: s("카프카가 오류를 알렸습니다."), hint: s("아래에 클라이언트의 설명(영어)이 있습니다.") },
  },
  INTERNAL: {
    en: { text: s("Something went wrong inside Gureum."), hint: s("Try again; the details below help to report it if it stays.") },
    ko: { text: s("Gureum 내부에서 문제가 생겼습니다."), hint: s("다시 시도하세요. 계속되면 아래의 자세한 내용을 함께 알려 주세요.") },
  },
};

/** The parameters of an error, with resource words in language `l`. */
export function errorParams(e: ErrorLike, l: Lang = lang.value): ErrorParams {
  const r = e.refused ?? null;
  return {
    fields: e.fields ? Object.keys(e.fields).join(", ") : "",
    status: /\bHTTP (\d{3})\b/.exec(e.detail ?? "")?.[1] ?? "",
    name: /“([^”]+)”/.exec(e.message)?.[1] ?? "",
    key: r?.key_id ?? "",
    op: r?.operation ?? "",
    what: r ? resourceWords(r.resource_type, r.resource_name, l) : "",
  };
}

/** "topic “orders”", "the cluster", … in language `l` (the current one by default). */
export function resourceWords(type: string, name: string, l: Lang = lang.value): string {
  switch (type) {
    case "TOPIC":
      return tIn(l, "refusal.topic", { name });
    case "GROUP":
      return tIn(l, "refusal.group", { name });
    case "CLUSTER":
      return tIn(l, "refusal.cluster");
    case "TRANSACTIONAL_ID":
      return tIn(l, "refusal.txn", { name });
    default:
      return `${type} “${name}”`;
  }
}

/** The error in the current language: one sentence and, when there is one, what to do. A code
 * this UI doesn't know (a newer backend) falls back to the backend's own message. */
export function errorText(e: ErrorLike, l: Lang = lang.value): { text: string; hint: string | null } {
  const words = (ERROR_TEXT as Record<string, Record<Lang, Words> | undefined>)[e.code]?.[l];
  if (!words) return { text: e.message, hint: null };
  const p = errorParams(e, l);
  return { text: words.text(p), hint: words.hint ? words.hint(p) : null };
}

/** The error in one line, for a place that has only a line (a form field, a status): the code's
 * words in the current language, then the backend's own words. */
export function errorLine(e: ErrorLike): string {
  const { text } = errorText(e);
  const own = [e.message !== text ? e.message : "", e.detail ?? ""].filter(Boolean).join("; ");
  return own ? `${text} (${own})` : text;
}
