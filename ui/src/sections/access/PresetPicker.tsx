// A least-privilege preset for a principal: pick it, say what it is for, and see the exact ACLs it
// will add (computed by Rust) with their REST and CLI equivalents before anything is added.
import { useEffect, useState } from "preact/hooks";

import { commands } from "../../api";
import type { Acl, Equivalent_Serialize as RustEquivalent, Preset, PresetTarget } from "../../bindings";
import { Equivalent } from "../../components/Equivalent";
import { type Key, t } from "../../i18n";
import { AclList } from "./AclList";
import { PRESETS, presetLabel, toEquivalent } from "./model";

export interface PresetChoice {
  preset: Preset | null;
  target: PresetTarget;
}

export const emptyTarget = (topic = ""): PresetTarget => ({ topic, prefixed: false, group: "", group_prefixed: false });

/** Why the choice can't be previewed yet (a missing topic or group), or null. */
export function choiceProblem(c: PresetChoice): string | null {
  if (!c.preset || c.preset === "FullAccess") return null;
  if (!c.target.topic.trim()) return t("preset.needTopic");
  if (c.preset === "Consumer" && !c.target.group.trim()) return t("preset.needGroup");
  return null;
}

interface Props {
  principal: string;
  value: PresetChoice;
  onChange: (v: PresetChoice) => void;
  /** The ACLs the choice adds (empty: none, or not valid yet). */
  onAcls: (acls: Acl[]) => void;
  restEndpoint: string;
  clusterId: string;
  /** Offer "No ACLs" (the key form does). */
  allowNone?: boolean;
  /** Only these presets (the fix dialog offers the one that fixes the refusal). */
  only?: readonly Preset[];
}

export function PresetPicker(p: Props) {
  const { value } = p;
  const [acls, setAcls] = useState<Acl[]>([]);
  const [eq, setEq] = useState<RustEquivalent | null>(null);
  const problem = choiceProblem(value);
  const wanted = JSON.stringify([p.principal, value]);

  useEffect(() => {
    let live = true;
    if (!value.preset || problem || !p.principal) {
      setAcls([]);
      setEq(null);
      p.onAcls([]);
      return;
    }
    const target = { ...value.target, topic: value.target.topic.trim(), group: value.target.group.trim() };
    commands.previewPreset(p.principal, value.preset, target).then(
      async (list) => {
        if (!live) return;
        setAcls(list);
        p.onAcls(list);
        const e = await commands.aclEquivalent(p.restEndpoint, p.clusterId, list, false);
        if (live) setEq(e);
      },
      () => live && setAcls([]),
    );
    return () => {
      live = false;
    };
  }, [wanted, p.restEndpoint]);

  const set = (change: Partial<PresetChoice>) => p.onChange({ ...value, ...change });
  const setTarget = (change: Partial<PresetTarget>) => set({ target: { ...value.target, ...change } });
  const choices: (Preset | null)[] = [...(p.allowNone ? [null] : []), ...(p.only ?? PRESETS)];
  const topicPrefixOnly = value.preset === "TopicOwner";

  return (
    <div class="preset-picker" data-testid="preset-picker">
      <fieldset class="preset-choices">
        <legend>{t("preset.title")}</legend>
        {choices.map((c) => (
          <label key={c ?? "none"} class={c === "FullAccess" ? "preset-choice avoid" : "preset-choice"}>
            <input type="radio" name="preset" value={c ?? "none"} data-testid={`preset-${c ?? "none"}`} checked={value.preset === c} onChange={() => set({ preset: c })} />
            <span>
              <strong>{c ? presetLabel(c) : t("preset.none")}</strong>
              <small class="muted">{t(c ? (`preset.${c}.desc` as Key) : "preset.none.desc")}</small>
            </span>
          </label>
        ))}
      </fieldset>
      {value.preset && value.preset !== "FullAccess" ? (
        <div class="preset-target">
          <label class="field">
            <span>{topicPrefixOnly || value.target.prefixed ? t("preset.topicPrefix") : t("preset.topic")}</span>
            <input data-testid="preset-topic" value={value.target.topic} spellcheck={false} onInput={(e) => setTarget({ topic: e.currentTarget.value })} />
          </label>
          {topicPrefixOnly ? null : (
            <label class="check">
              <input type="checkbox" data-testid="preset-prefixed" checked={value.target.prefixed} onChange={(e) => setTarget({ prefixed: e.currentTarget.checked })} />
              {t("preset.prefixed")}
            </label>
          )}
          {value.preset === "Consumer" ? (
            <>
              <label class="field">
                <span>{t("preset.group")}</span>
                <input data-testid="preset-group" value={value.target.group} spellcheck={false} onInput={(e) => setTarget({ group: e.currentTarget.value })} />
              </label>
              <label class="check">
                <input type="checkbox" data-testid="preset-group-prefixed" checked={value.target.group_prefixed} onChange={(e) => setTarget({ group_prefixed: e.currentTarget.checked })} />
                {t("preset.groupPrefixed")}
              </label>
            </>
          ) : null}
        </div>
      ) : null}
      {problem ? (
        <p class="muted small" data-testid="preset-problem">
          {problem}
        </p>
      ) : null}
      {acls.length ? (
        <div class="preset-preview" data-testid="preset-preview" data-count={acls.length}>
          <h4>{t("preset.preview", { n: String(acls.length) })}</h4>
          <AclList acls={acls} testid="preset-acl" />
          {eq ? <Equivalent eq={toEquivalent(eq)} /> : null}
        </div>
      ) : null}
    </div>
  );
}
