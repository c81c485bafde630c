// nostr-tools ships its negentropy classes only through the package index (no ./nip77 export).
import { nip77 } from 'nostr-tools';

export const Negentropy = nip77.Negentropy;
export type Negentropy = nip77.Negentropy;
export const NegentropyStorageVector = nip77.NegentropyStorageVector;
export type NegentropyStorageVector = nip77.NegentropyStorageVector;
