// An authorization refusal, said as what the key's owner may not do, with its one-click fix: the
// preset (or the single ACL) that allows it, previewed exactly, then added.
import { useEffect, useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../../api";
import type { Acl, FixView_Serialize as FixView, Refused_Serialize as Refused } from "../../bindings";
import { Equivalent } from "../../components/Equivalent";
import { ErrorView } from "../../components/ErrorView";
import { type ErrorLike, errorText } from "../../errors";
import { Modal } from "../../components/Modal";
import { t } from "../../i18n";
import { flash } from "../../state";
import { useCommand } from "../../useCommand";
import { AclList } from "./AclList";
import { presetLabel, refusalSentence, resourceWords, toEquivalent } from "./model";
import { type PresetChoice, PresetPicker } from "./PresetPicker";
import "./access.css";

export interface Where {
  conn: string;
  envId: string;
  clusterId: string;
}

interface Props {
  error: ErrorLike;
  /** The cluster the refusal happened on; without it no fix is offered. */
  where: Where | null;
  testid: string;
  /** After the fix is added (e.g. try again). */
  onFixed?: () => void;
}

/** A NOT_AUTHORIZED error: which operation on which resource, and the fix. */
export function Refusal({ error, where, testid, onFixed }: Props) {
  const r = error.refused ?? null;
  const [open, setOpen] = useState(false);
  const [fixed, setFixed] = useState(false);
  const canFix = !!(r && where && where.clusterId);
  // Another refusal: its own fix (no fix offered when it can't be asked for).
  const refusal = [canFix, where?.clusterId, r?.operation, r?.resource_type, r?.resource_name, r?.key_id];
  const { data: fix } = useCommand<FixView>(canFix && r && where ? () => call(commands.fixForRefusal(where.conn, where.envId, where.clusterId, r)) : null, refusal);
  useEffect(() => setFixed(false), refusal);

  return (
    <div class="refusal" role="alert" data-testid={testid} data-code={error.code} data-operation={r?.operation ?? ""} data-resource={r ? `${r.resource_type}:${r.resource_name}` : ""}>
      <p>
        <strong>{t("refusal.title")}</strong> <span data-testid={`${testid}-sentence`}>{r ? refusalSentence(r) : errorText(error).text}</span>
      </p>
      {fix ? (
        <p class="muted small" data-testid={`${testid}-owner`}>
          {t("fix.owner", { key: fix.key_id, name: fix.account.name, id: fix.account.id })}
        </p>
      ) : null}
      <p class="muted small">
        <code>{error.code}</code>
        {error.detail ? <span> · {error.detail}</span> : null}
      </p>
      {canFix ? (
        <div class="actions start">
          {fixed ? (
            <span class="muted" role="status" data-testid={`${testid}-fixed`}>
              {t("fix.done")}
            </span>
          ) : (
            <button type="button" class="primary" data-testid={`${testid}-fix`} disabled={!fix} onClick={() => setOpen(true)}>
              {!fix ? t("common.loading") : fix.fix.preset ? t("refusal.fixPreset", { preset: presetLabel(fix.fix.preset) }) : t("refusal.fixExact")}
            </button>
          )}
        </div>
      ) : null}
      {open && fix && r && where ? (
        <FixDialog
          fix={fix}
          refused={r}
          where={where}
          onClose={() => setOpen(false)}
          onAdded={() => {
            setOpen(false);
            setFixed(true);
            onFixed?.();
          }}
        />
      ) : null}
    </div>
  );
}

/** The fix, shown exactly before anything is added: the preset (its target editable) or the one ACL. */
export function FixDialog({ fix, refused, where, onClose, onAdded }: { fix: FixView; refused: Pick<Refused, "operation" | "resource_type" | "resource_name">; where: Where; onClose: () => void; onAdded: () => void }) {
  const f = fix.fix;
  const [mode, setMode] = useState<"preset" | "exact">(f.preset ? "preset" : "exact");
  const [choice, setChoice] = useState<PresetChoice>({ preset: f.preset ?? null, target: f.target });
  const [presetAcls, setPresetAcls] = useState<Acl[]>(f.acls);
  const { data: exactEq } = useCommand(() => commands.aclEquivalent(fix.rest_endpoint, where.clusterId, [f.exact], false).then(toEquivalent), []);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<BridgeError | null>(null);
  const acls = mode === "preset" ? presetAcls : [f.exact];

  async function add() {
    setBusy(true);
    setFailure(null);
    try {
      const admin = await call(commands.addAcls(where.conn, where.envId, where.clusterId, acls));
      flash(admin.created ? t("acl.addedWithNewKey", { n: String(acls.length), key: admin.key_id }) : t("acl.added", { n: String(acls.length) }));
      onAdded();
    } catch (e) {
      setFailure(asBridgeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal class="fix-dialog" testid="fix-dialog" labelledBy="fix-title" onEscape={() => !busy && onClose()}>
      <h2 id="fix-title">{t("fix.title", { who: `${fix.account.name} (${fix.account.id})`, op: refused.operation, what: resourceWords(refused.resource_type, refused.resource_name) })}</h2>
      <p class="muted small">{t("fix.owner", { key: fix.key_id, name: fix.account.name, id: fix.account.id })}</p>
      {fix.account.kind === "User" ? <p class="muted small">{t("fix.ownerIsUser")}</p> : null}
      <fieldset class="fix-choices">
        {f.preset ? (
          <label class="preset-choice">
            <input type="radio" name="fix-mode" data-testid="fix-choice-preset" checked={mode === "preset"} onChange={() => setMode("preset")} />
            <span>{t("fix.choosePreset", { preset: presetLabel(f.preset) })}</span>
          </label>
        ) : null}
        <label class="preset-choice">
          <input type="radio" name="fix-mode" data-testid="fix-choice-exact" checked={mode === "exact"} onChange={() => setMode("exact")} />
          <span>{t("fix.chooseExact", { op: f.exact.operation, type: f.exact.resource_type, name: f.exact.resource_name })}</span>
        </label>
      </fieldset>
      {mode === "preset" && f.preset ? (
        <PresetPicker
          principal={fix.account.id ? `User:${fix.account.id}` : ""}
          value={choice}
          onChange={setChoice}
          onAcls={setPresetAcls}
          restEndpoint={fix.rest_endpoint}
          clusterId={where.clusterId}
          only={[f.preset]}
        />
      ) : (
        <div class="preset-preview" data-testid="preset-preview" data-count={1}>
          <AclList acls={[f.exact]} testid="preset-acl" />
          {exactEq ? <Equivalent eq={exactEq} /> : null}
        </div>
      )}
      <p class="muted small">{t("preset.adminNote")}</p>
      {failure ? <ErrorView error={failure} testid="fix-error" /> : null}
      <div class="actions">
        <button type="button" data-testid="fix-cancel" disabled={busy} onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="button" class="primary" data-testid="fix-add" disabled={busy || acls.length === 0} onClick={() => void add()}>
          {busy ? t("acl.adding") : t("acl.add", { n: String(acls.length) })}
        </button>
      </div>
    </Modal>
  );
}
