import { fastVerifierAdvice } from '../relay/verify/advice.ts';
import type { StartSummary } from './hamlet.ts';

const STAGE_ORDER = ['connection', 'write', 'read', 'broadcast', 'auth'] as const;

/**
 * The lines `hamlet start` prints once the relay serves: where to connect first, then what runs.
 * The log carries the same as one `relay started` line; this is for the person at the console.
 */
export function startBanner(s: StartSummary): string {
  const http = s.url.replace(/^ws/, 'http');
  const lines = [`hamlet ${s.version} listening on ${s.url}`];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(9)} ${value}`);
  if (s.publicUrl) row('public', s.publicUrl);
  row('data', s.dataDir);
  row('verifier', `${s.verifier} (transport ${s.transport})`);
  const advice = fastVerifierAdvice(s.verifier);
  if (advice) row('', `SLOW: ${advice}`);
  if (s.policies) {
    const stages = STAGE_ORDER.map((stage) => `${stage}: ${s.policies![stage].join(', ') || '-'}`);
    row('policies', stages[0]!);
    for (const more of stages.slice(1)) row('', more);
  } else {
    row('policies', 'custom engine');
  }
  row('dvms', s.dvms.length ? s.dvms.map((d) => `${d.name} (${d.kind})`).join(', ') : 'off');
  row('labeler', s.labeler ? 'on' : 'off');
  if (s.models) {
    const use = s.models.usedBy.length ? `used by ${s.models.usedBy.join(', ')}` : 'unused: no worker threads until something asks';
    row('models', `embedding ${s.models.embedding}, toxicity ${s.models.toxicity} (${use})`);
  } else {
    row('models', 'none');
  }
  row('nip-11', `${http} (Accept: application/nostr+json), rules at ${http}/rulebook, health at ${http}/health`);
  return `${lines.join('\n')}\n`;
}
