import type { Method } from '../relay/management/methods.ts';
import { RpcError } from '../relay/management/rpc.ts';
import { parsePubkey } from '../relay/nostr/keys.ts';
import { isPurpose, PURPOSES } from './consent.ts';
import type { DatasetHistory } from './history.ts';
import type { Rebuilds } from './rebuild.ts';
import { whichVersions } from './which.ts';

/**
 * NIP-86 methods of the commons, for admins: `exportdataset [use]` builds a version now (as
 * `hamlet dataset export`), `listdatasets` the versions, `datasetsof [pubkey]` a member's posts in each.
 */
export function datasetMethods(rebuilds: Rebuilds, history: DatasetHistory): Map<string, Method> {
  const methods = new Map<string, Method>();
  methods.set('exportdataset', async ([purpose]) => {
    if (typeof purpose !== 'string' || !isPurpose(purpose)) throw new RpcError(`invalid: the first param must be a use: ${PURPOSES.join(', ')}`);
    return rebuilds.exportNow(purpose);
  });
  methods.set('listdatasets', () =>
    history.versions().map((v) => ({ purpose: v.purpose, version: v.version, status: v.supersededBy ? 'superseded' : 'current', supersededBy: v.supersededBy, records: v.count, merkleRoot: v.merkleRoot, manifestEvent: v.manifestEventId })),
  );
  methods.set('datasetsof', ([pk]) => {
    const pubkey = parsePubkey(pk);
    if (!pubkey) throw new RpcError('invalid: the first param must be a pubkey (64 hex characters or npub)');
    return whichVersions(history, pubkey);
  });
  return methods;
}
