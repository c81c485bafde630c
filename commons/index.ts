/** The village's data as a commons: consent, dataset exports with provenance, versions and withdrawal. */
export { PURPOSES, isPurpose, parseConsent, allows, type Purpose, type Consent } from './consent.ts';
export { exportDataset, datasetsRoot, httpBase, type ExportOptions, type ExportResult } from './dataset.ts';
export { DatasetHistory, type DatasetVersion, type VersionRecord } from './history.ts';
export { loadOrCreateCommonsKey, commonsKeyFile, type CommonsKey } from './key.ts';
export { whichVersions, type MemberPresence } from './which.ts';
export { merkleRoot, merkleProof, verifyProof } from './merkle.ts';
export { CROISSANT_CONTEXT, CROISSANT_SPEC, CROISSANT_RAI_SPEC } from './croissant.ts';
export { MERKLE_SCHEME, manifestAddress, type Manifest } from './manifest.ts';
export { commonsRoute, COMMONS_PATH } from './route.ts';
export { startRebuilds, type Rebuilds } from './rebuild.ts';
export { datasetMethods } from './methods.ts';
export { checkVersion, type Check } from './check.ts';
