// policies.d/noShouting.ts: refuse notes written in capitals. Enable it in your config with
//   [[policies.write]]
//   use = "noShouting"
//   options = { minLetters = 12 }
import type { Decision, WriteInput } from '../../relay/policy.ts';

export default function noShouting(options: { minLetters?: number }) {
  const min = options.minLetters ?? 12;
  return {
    write({ event }: WriteInput): Decision {
      const letters = event.content.replace(/[^\p{L}]/gu, '');
      if (letters.length < min || letters !== letters.toUpperCase()) return { action: 'accept' };
      return { action: 'reject', reason: 'blocked: please do not shout', rule: 'spam' };
    },
  };
}
