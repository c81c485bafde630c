import type { Decision, DecisionEvidence, Label, ReadDecision } from '../relay/policy.ts';

/** NIP-01 machine-readable prefixes a client may see in OK and CLOSED. */
export const PREFIXES = ['blocked', 'rate-limited', 'restricted', 'invalid', 'pow', 'duplicate', 'error', 'auth-required', 'mute'] as const;
const PREFIX_RE = new RegExp(`^(${PREFIXES.join('|')}): `);

export const ACCEPT: Decision = Object.freeze({ action: 'accept' }) as Decision;

/** Adds `blocked: ` to a reason that carries no NIP-01 prefix, so clients can always parse it. */
export function withPrefix(reason: string, fallback = 'blocked'): string {
  return PREFIX_RE.test(reason) ? reason : `${fallback}: ${reason}`;
}

/** How a built-in acts on a match; most let the operator choose. */
export type Action = 'reject' | 'shadowReject' | 'hold' | 'label';

/** A non-accept decision of the configured kind. `label` turns the reason into a label value. */
export function act(action: Action, reason: string, rule?: string, evidence?: DecisionEvidence, labels?: Label[]): Decision {
  const r = withPrefix(reason);
  const ev = evidence ? { evidence } : {};
  const ru = rule ? { rule } : {};
  if (action === 'label') {
    return { action: 'label', labels: labels ?? [{ namespace: 'hamlet.moderation', value: rule ?? r }], ...ru, ...ev };
  }
  return { action, reason: r, ...ru, ...ev };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Checks an answer from policy code we do not control. Returns the cleaned decision, or an error
 * text when it is garbage (the engine then applies the entry's onError).
 */
export function checkDecision(d: unknown, allowRewrite: boolean): ReadDecision | string {
  if (!isObj(d)) return `not a decision: ${JSON.stringify(d)?.slice(0, 80)}`;
  const rule = typeof d.rule === 'string' ? { rule: d.rule } : {};
  const evidence = isObj(d.evidence) ? { evidence: d.evidence as DecisionEvidence } : {};
  switch (d.action) {
    case 'accept':
      return ACCEPT;
    case 'reject':
    case 'shadowReject':
    case 'hold':
      if (typeof d.reason !== 'string' || d.reason === '') return `${d.action} without a reason`;
      return { action: d.action, reason: withPrefix(d.reason), ...rule, ...evidence };
    case 'label': {
      if (!Array.isArray(d.labels) || !d.labels.every((l) => isObj(l) && typeof l.namespace === 'string' && typeof l.value === 'string')) {
        return 'label without labels [{namespace, value}]';
      }
      return { action: 'label', labels: d.labels as Label[], ...rule, ...evidence };
    }
    case 'rewrite':
      if (!allowRewrite) return 'rewrite is only allowed on the read stage';
      if (!Array.isArray(d.filters) || !d.filters.every(isObj)) return 'rewrite without filters';
      return { action: 'rewrite', filters: d.filters as never, ...rule };
    default:
      return `unknown action ${JSON.stringify(d.action)}`;
  }
}
