import type { TransformersDtype } from './inference.ts';

/**
 * The pinned default models that `hamlet models pull` knows. Each file is fetched from
 * `<hub>/<repo>/resolve/<revision>/<path>` and checked against its sha256 before it is moved
 * into place. A file whose sha256 is null is not pinned yet: pull records the digest it saw
 * (trust on first use) and says so; pin it here once it has been verified.
 */
export interface ManifestFile {
  path: string;
  size?: number;
  sha256: string | null;
}

export interface ManifestModel {
  /** Short name used on the command line and in config (models.embedding / models.toxicity). */
  name: string;
  /** Repository on the hub; also the folder under models.dir. */
  repo: string;
  revision: string;
  task: 'feature-extraction' | 'text-classification';
  dtype: TransformersDtype;
  /** Feature extraction: how token vectors become one vector. */
  pooling?: 'mean' | 'cls';
  /** Classification: multi-label models score each label with a sigmoid. */
  multiLabel?: boolean;
  description: string;
  files: ManifestFile[];
}

export type Manifest = Record<string, ManifestModel>;

export const DEFAULT_MANIFEST: Manifest = {
  'all-MiniLM-L6-v2': {
    name: 'all-MiniLM-L6-v2',
    repo: 'Xenova/all-MiniLM-L6-v2',
    revision: '751bff37182d3f1213fa05d7196b954e230abad9',
    task: 'feature-extraction',
    dtype: 'q8',
    pooling: 'mean',
    description: 'sentence-transformers/all-MiniLM-L6-v2 in ONNX, 8-bit: 384-dimensional sentence embeddings (about 23 MB)',
    files: [
      { path: 'config.json', size: 650, sha256: '7135149f7cffa1a573466c6e4d8423ed73b62fd2332c575bf738a0d033f70df7' },
      { path: 'tokenizer.json', size: 711_661, sha256: 'da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0' },
      { path: 'tokenizer_config.json', size: 366, sha256: '9261e7d79b44c8195c1cada2b453e55b00aeb81e907a6664974b4d7776172ab3' },
      { path: 'onnx/model_quantized.onnx', size: 22_972_370, sha256: 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1' },
    ],
  },
  'toxic-bert': {
    name: 'toxic-bert',
    repo: 'Xenova/toxic-bert',
    revision: 'main',
    task: 'text-classification',
    dtype: 'q8',
    multiLabel: true,
    description: 'unitary/toxic-bert in ONNX, 8-bit: toxic, severe_toxic, obscene, threat, insult, identity_hate (about 110 MB)',
    files: [
      { path: 'config.json', sha256: null },
      { path: 'tokenizer.json', sha256: null },
      { path: 'tokenizer_config.json', sha256: null },
      { path: 'onnx/model_quantized.onnx', sha256: null },
    ],
  },
};

/** The manifest entry for a name or a repo id, if any. */
export function findManifestModel(name: string, manifest: Manifest = DEFAULT_MANIFEST): ManifestModel | undefined {
  return manifest[name] ?? Object.values(manifest).find((m) => m.repo === name);
}
