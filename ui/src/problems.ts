// A form problem in the person's language. Rust sends each problem as a code with its values and
// the English sentence (gureum_forms::Problem); Korean is worded here, one entry per code: the
// type check fails when Rust gains a code this table does not word.
import type { BridgeError } from "./api";
import type { Problem, ProblemCode } from "./bindings";
import { lang } from "./i18n";

const at = "{at}번째 글자의 {placeholder}";

export const PROBLEM_KO: Record<ProblemCode, string> = {
  connection_name_required: "연결 이름을 입력하세요.",
  name_too_long: "이름은 {max}자 이내로 적어 주세요.",
  name_taken: "“{name}” 이름의 연결이 이미 있습니다. 다른 이름을 고르세요.",
  sandbox_built_in: "샌드박스 클라우드는 기본으로 들어 있습니다. Confluent Cloud나 Kafka 연결을 추가하세요.",
  sandbox_not_editable: "샌드박스 클라우드는 기본으로 들어 있어 편집할 수 없습니다.",
  cloud_key_required: "Cloud API 키(키 ID, 예: 7FJIYKQ4SGQDQ72H)를 입력하세요.",
  cloud_key_malformed: "Cloud API 키는 공백 없이 영문자와 숫자로 된 한 단어입니다.",
  cloud_secret_required: "Cloud API 시크릿을 입력하세요. OS 키링에만 저장됩니다.",
  url_required: "URL을 입력하세요. 예: https://api.confluent.cloud",
  url_scheme: "http:// 또는 https:// URL을 쓰세요(이 URL은 {scheme}://).",
  url_no_host: "URL에 호스트 이름이 없습니다.",
  url_extra: "?쿼리나 #프래그먼트 없이 기본 URL만 적으세요.",
  url_invalid: "“{url}”은(는) 올바른 URL이 아닙니다({reason}). 예: https://api.confluent.cloud",
  bootstrap_required: "브로커를 host:port로 하나 이상 입력하세요. 예: localhost:9092",
  bootstrap_empty_entry: "쉼표 사이의 빈 항목을 지우세요.",
  bootstrap_ipv6_open: "“{server}”: IPv6 주소를 ]로 닫으세요.",
  bootstrap_no_host: "“{server}”에 올바른 호스트 이름이 없습니다.",
  bootstrap_no_port: "“{server}”에 포트가 없습니다. host:port로 적으세요. 예: {host}:9092",
  bootstrap_bad_port: "“{server}”의 “{port}”은(는) 포트(1–65535)가 아닙니다.",
  sasl_username_required: "SASL에는 사용자 이름이 필요합니다.",
  sasl_password_required: "SASL에는 비밀번호가 필요합니다. OS 키링에만 저장됩니다.",
  ca_file_missing: "{path}에 파일이 없습니다. PEM CA 인증서의 경로를 적거나, 시스템 CA를 믿으려면 비워 두세요.",
  topic_name_required: "토픽 이름을 입력하세요.",
  topic_name_reserved: "“{name}”은(는) Kafka가 예약한 이름입니다. 다른 이름을 고르세요.",
  topic_name_too_long: "이름이 {len}자입니다. Kafka는 249자까지 허용합니다.",
  topic_name_char: "이름에 {shown}이(가) 들어 있습니다. 영문자 a–z·A–Z, 숫자, '.', '_', '-'만 쓸 수 있습니다.",
  partitions_whole: "파티션 수를 정수로 입력하세요.",
  partitions_too_few: "토픽에는 파티션이 1개 이상 필요합니다(입력: {count}).",
  partitions_over_limit: "파티션 {count}개는 이 클러스터 유형이 담을 수 있는 수보다 많습니다(모든 토픽을 합쳐 {limit}개).",
  config_twice: "{name}이(가) 두 번 설정되었습니다.",
  config_name_required: "설정 이름을 적으세요.",
  config_choice: "{name}은(는) {choices} 중 하나입니다.",
  config_too_small: "{name}은(는) {min} 이상이어야 합니다.",
  config_not_whole: "{name}은(는) 정수여야 합니다({min} 이상).",
  cluster_name_required: "클러스터 이름을 입력하세요.",
  cluster_type_required: "클러스터 유형을 고르세요.",
  environment_name_required: "환경 이름을 입력하세요.",
  service_account_name_required: "서비스 계정 이름을 입력하세요.",
  cku_min: "Dedicated 클러스터에는 CKU가 1개 이상 필요합니다.",
  range_order: "범위는 시작보다 뒤에서 끝나야 합니다.",
  owner_required: "키의 소유자를 고르세요.",
  pasted_key_incomplete: "API 키와 시크릿을 둘 다 붙여 넣으세요.",
  topic_required: "토픽을 고르세요.",
  partition_whole: "파티션은 0 이상의 정수입니다.",
  value_not_json: "올바른 JSON이 아닙니다: {reason}.",
  header_unnamed: "헤더 {n}에 이름이 필요합니다.",
  timestamp_too_early: "타임스탬프는 1970년 이후의 시각입니다.",
  count_range: "레코드는 1개부터 {max}개까지 보낼 수 있습니다.",
  template_not_closed: "{at}번째 글자에서 연 자리표시자가 }}로 닫히지 않았습니다.",
  placeholder_unknown: `${at}: 모르는 자리표시자입니다. 쓸 수 있는 것: {known}.`,
  placeholder_bounds_not_numbers: `${at}: 범위는 숫자여야 합니다.`,
  placeholder_bounds_order: `${at}: 첫 번째 범위가 두 번째보다 크면 안 됩니다.`,
  placeholder_two_bounds: `${at}: 범위를 두 개 주세요. 예: {{int 1 100}}`,
  placeholder_no_arguments: `${at}: 인자를 받지 않습니다.`,
  placeholder_int_bounds: `${at}: int의 범위는 정수여야 합니다.`,
  placeholder_pick_choices: `${at}: 선택지를 나열하세요. 예: {{pick red|green|blue}}`,
  placeholder_string_length: `${at}: 길이는 1부터 10000까지입니다.`,
  placeholder_give_length: `${at}: 길이를 주세요. 예: {{string 8}}`,
  line_not_json: "{line}번째 줄이 올바른 JSON이 아닙니다: {reason}.",
  line_headers: "{line}번째 줄: headers는 이름 → 텍스트의 객체여야 합니다.",
  line_partition: "{line}번째 줄: partition은 0 이상의 정수여야 합니다.",
  file_empty: "파일에 레코드가 없습니다(모든 줄이 비어 있음).",
};

/** Values the Korean wording shows differently from how Rust sends them. */
function koParams(p: Problem): Record<string, string> {
  const v: Record<string, string> = { ...p.params };
  if (p.code === "topic_name_char") v.shown = v.char === " " ? "공백" : `“${v.char}”`;
  if (v.min === "-1") v.min = "-1(영구 보관)";
  if (v.choices) v.choices = v.choices.split(" | ").join(", ");
  return v;
}

/** One problem, worded in `l` (the window's language by default). */
export function problemText(p: Problem, l = lang.value): string {
  if (l !== "ko") return p.message;
  const v = koParams(p);
  // Placeholders are one word ({at}); template examples like {{int 1 100}} are left as they are.
  return PROBLEM_KO[p.code].replace(/\{(\w+)\}(?!\})/g, (whole, k: string) => v[k] ?? whole);
}

/** The error with its `fields` worded in the window's language, from its coded `problems`. */
export function localized(e: BridgeError, l = lang.value): BridgeError {
  if (!e.problems || l !== "ko") return e;
  const fields: Record<string, string> = { ...(e.fields ?? {}) };
  for (const [field, list] of Object.entries(e.problems)) {
    if (list?.length) fields[field] = list.map((p) => problemText(p, l)).join(" ");
  }
  return { ...e, fields };
}
