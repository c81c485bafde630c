import { createHash } from 'node:crypto';

const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

// Leaves and inner nodes hashed under different prefixes (RFC 6962), so no inner node can pass for a leaf.
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

/** A leaf: an event id (32 bytes of hex). */
export const leafHash = (id: string): Buffer => sha256(LEAF, Buffer.from(id, 'hex'));

/**
 * The Merkle root over a dataset's event ids, sorted: sha256(0x00 ‖ id) leaves, sha256(0x01 ‖
 * left ‖ right) nodes, an odd node carried up as is. Empty: sha256 of nothing.
 */
export function merkleRoot(ids: readonly string[]): string {
  let level = [...ids].sort().map(leafHash);
  if (level.length === 0) return sha256().toString('hex');
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sha256(NODE, level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!.toString('hex');
}

/** The sibling hashes from an id's leaf to the root (a member's proof that their post is in a version). */
export function merkleProof(ids: readonly string[], id: string): { hash: string; side: 'left' | 'right' }[] | undefined {
  const sorted = [...ids].sort();
  let index = sorted.indexOf(id);
  if (index < 0) return undefined;
  let level = sorted.map(leafHash);
  const proof: { hash: string; side: 'left' | 'right' }[] = [];
  while (level.length > 1) {
    const sibling = index ^ 1;
    if (sibling < level.length) proof.push({ hash: level[sibling]!.toString('hex'), side: sibling < index ? 'left' : 'right' });
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sha256(NODE, level[i]!, level[i + 1]!) : level[i]!);
    level = next;
    index >>= 1;
  }
  return proof;
}

/** Recomputes the root from a leaf and its proof. */
export function verifyProof(id: string, proof: readonly { hash: string; side: 'left' | 'right' }[], root: string): boolean {
  let h = leafHash(id);
  for (const step of proof) h = step.side === 'left' ? sha256(NODE, Buffer.from(step.hash, 'hex'), h) : sha256(NODE, h, Buffer.from(step.hash, 'hex'));
  return h.toString('hex') === root;
}
