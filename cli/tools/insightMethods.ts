import type { Config } from '../../config/schema.ts';
import type { Method } from '../../relay/management/methods.ts';
import { RpcError } from '../../relay/management/rpc.ts';
import { ownPubkeys } from '../../relay/nostr/ownKeys.ts';
import type { Store } from '../../relay/store/store.ts';
import { askVillage, UnknownQuestion } from './insightQuestions.ts';

/**
 * NIP-86 `askinsights` [question]: the everyday questions of `hamlet insights ask`, for an admin
 * console. An unknown question is an `invalid:` error listing the questions known.
 */
export function insightMethods(store: Store, config: () => Config): Map<string, Method> {
  return new Map<string, Method>([
    [
      'askinsights',
      ([question]) => {
        if (typeof question !== 'string' || question.trim() === '') throw new RpcError('invalid: the first param must be a question (a string), e.g. "who joined this month?"');
        const c = config();
        try {
          return askVillage(store, question, { privateKinds: c.nips.restrictedKinds, staff: ownPubkeys(c) });
        } catch (err) {
          if (err instanceof UnknownQuestion) throw new RpcError(`invalid: ${err.message}`);
          throw err;
        }
      },
    ],
  ]);
}
