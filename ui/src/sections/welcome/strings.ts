// The welcome and the no-keyring notice (English and Korean); merged into the app's dictionaries by i18n.ts.
export const en = {
  "welcome.nav": "Welcome",
  "welcome.title": "Welcome to Gureum",
  "welcome.what1":
    "Gureum is a desktop console for cloud Kafka: it manages the clusters, topics and API keys of a Confluent Cloud organisation or of any Kafka cluster, sends records and charts their metrics.",
  "welcome.what2":
    "A sandbox cloud runs on this computer and behaves like Confluent Cloud, with real brokers behind it, so everything here can be tried without an account.",
  "welcome.waysIn": "Three ways in",
  "welcome.walk.title": "Take the guided walkthrough",
  "welcome.walk.body": "Create a cluster, an API key and a topic and send a record on the real screens, each step ticked when it is really done (Learn, lesson 7).",
  "welcome.walk.start": "Start the walkthrough",
  "welcome.sample.title": "Try a ready-made sample",
  "welcome.sample.body": "One click makes an environment, a Basic cluster, an API key of that cluster and a topic on the sandbox cloud, ready to send to.",
  "welcome.sample.start": "Create the sample",
  "welcome.sample.again": "Create it again",
  "welcome.sample.notReady": "The sandbox cloud is not running yet; the sample needs it.",
  "welcome.sample.step.environment": "Environment “Sample”",
  "welcome.sample.step.cluster": "Basic cluster “sample”, provisioned",
  "welcome.sample.step.key": "API key of the cluster, accepted by it",
  "welcome.sample.step.topic": "Topic “hello”",
  "welcome.sample.ready": "Ready: cluster {cluster}, key {key}, topic {topic}. The key belongs to your user account, so it may send, read and create topics.",
  "welcome.sample.send": "Send a record",
  "welcome.sample.cluster": "See the cluster",
  "welcome.connect.title": "Connect your own",
  "welcome.connect.body": "A Confluent Cloud organisation, with a Cloud API key, or any Kafka cluster by its bootstrap servers. Secrets go to your OS keyring.",
  "welcome.connect.cloud": "Connect Confluent Cloud",
  "welcome.connect.kafka": "Connect a Kafka cluster",
  "welcome.later": "This page stays one click away: the Gureum name at the top left.",
  "secrets.memory.title": "No OS keyring: secrets are kept only until Gureum quits",
  "secrets.memory.body":
    "Gureum found no keyring to keep secrets in ({why}), so it holds them in memory for this session and never writes them to disk. When you quit, it forgets the secrets of saved connections, the API keys it keeps for clusters (create new ones under API keys) and the sandbox's CA key and Cloud API key: the sandbox then makes a new CA, and clients outside Gureum must trust the new ca.pem.",
  "secrets.memory.howto":
    "To keep secrets, run a Secret Service in your desktop session: install GNOME Keyring (sudo apt install gnome-keyring) or KeePassXC with its Secret Service integration, log out and in again, then restart Gureum.",
  "secrets.caRenewed": "The sandbox made a new CA at this start: clients outside Gureum must trust the new {path}.",
  "secrets.hide": "Hide",
};

export const ko: Record<keyof typeof en, string> = {
  "welcome.nav": "시작하기",
  "welcome.title": "Gureum에 오신 것을 환영합니다",
  "welcome.what1":
    "Gureum은 클라우드 카프카를 위한 데스크톱 콘솔입니다. Confluent Cloud 조직이나 어떤 카프카 클러스터든 클러스터, 토픽, API 키를 관리하고, 레코드를 보내고, 메트릭을 차트로 보여 줍니다.",
  "welcome.what2":
    "이 컴퓨터에서 Confluent Cloud처럼 동작하는 샌드박스 클라우드가 실제 브로커와 함께 실행되므로, 계정 없이도 여기 있는 모든 것을 해 볼 수 있습니다.",
  "welcome.waysIn": "시작하는 세 가지 방법",
  "welcome.walk.title": "안내에 따라 둘러보기",
  "welcome.walk.body": "실제 화면에서 클러스터, API 키, 토픽을 만들고 레코드를 보냅니다. 각 단계는 실제로 끝났을 때 체크됩니다 (학습, 7강).",
  "welcome.walk.start": "둘러보기 시작",
  "welcome.sample.title": "준비된 예제 써 보기",
  "welcome.sample.body": "한 번의 클릭으로 샌드박스 클라우드에 환경, Basic 클러스터, 그 클러스터의 API 키, 토픽을 만들어 바로 레코드를 보낼 수 있게 합니다.",
  "welcome.sample.start": "예제 만들기",
  "welcome.sample.again": "다시 만들기",
  "welcome.sample.notReady": "샌드박스 클라우드가 아직 실행 중이 아닙니다. 예제에는 샌드박스가 필요합니다.",
  "welcome.sample.step.environment": "환경 “Sample”",
  "welcome.sample.step.cluster": "Basic 클러스터 “sample”, 프로비저닝 완료",
  "welcome.sample.step.key": "클러스터가 받아들인 클러스터 API 키",
  "welcome.sample.step.topic": "토픽 “hello”",
  "welcome.sample.ready": "준비 완료: 클러스터 {cluster}, 키 {key}, 토픽 {topic}. 이 키는 내 사용자 계정 소유라서 보내기, 읽기, 토픽 만들기를 모두 할 수 있습니다.",
  "welcome.sample.send": "레코드 보내기",
  "welcome.sample.cluster": "클러스터 보기",
  "welcome.connect.title": "내 클러스터 연결하기",
  "welcome.connect.body": "Cloud API 키로 Confluent Cloud 조직을, 부트스트랩 서버로 어떤 카프카 클러스터든 연결합니다. 비밀 값은 OS 키링에 저장됩니다.",
  "welcome.connect.cloud": "Confluent Cloud 연결",
  "welcome.connect.kafka": "카프카 클러스터 연결",
  "welcome.later": "이 페이지는 왼쪽 위의 Gureum 이름을 누르면 언제든 다시 열립니다.",
  "secrets.memory.title": "OS 키링 없음: 비밀 값은 Gureum을 종료할 때까지만 보관됩니다",
  "secrets.memory.body":
    "비밀 값을 보관할 키링을 찾지 못했습니다 ({why}). 그래서 이번 세션 동안 메모리에만 보관하며 디스크에는 절대 쓰지 않습니다. 종료하면 저장한 연결의 비밀 값, 클러스터용으로 보관한 API 키(API 키 화면에서 새로 만드세요), 샌드박스의 CA 키와 Cloud API 키를 잊습니다. 다음 실행 때 샌드박스는 새 CA를 만들므로, Gureum 밖의 클라이언트는 새 ca.pem을 신뢰해야 합니다.",
  "secrets.memory.howto":
    "비밀 값을 계속 보관하려면 데스크톱 세션에서 Secret Service를 실행하세요. GNOME Keyring(sudo apt install gnome-keyring)이나 Secret Service 연동을 켠 KeePassXC를 설치하고, 로그아웃했다가 다시 로그인한 뒤 Gureum을 다시 시작하면 됩니다.",
  "secrets.caRenewed": "이번 시작 때 샌드박스가 새 CA를 만들었습니다. Gureum 밖의 클라이언트는 새 {path} 파일을 신뢰해야 합니다.",
  "secrets.hide": "숨기기",
};
