// The layer check (`npm run layers`, and test/architecture/layers.test.ts):
//   config → relay → models → capabilities (policies, dvms, moderation, commons, groups, cluster, federation) → pages → cli → bin
// A module imports from its own layer or those before it, never after; no import cycles.
// The capabilities stand side by side: what two of them need lives below them.
const capabilities = ['policies', 'dvms', 'moderation', 'commons', 'groups', 'cluster', 'federation'];
const layers = ['config', 'relay', 'models', capabilities.join('|'), 'pages', 'cli', 'bin'];

const upward = layers.slice(0, -1).map((layer, i) => ({
  name: `no-upward-from-${layer.split('|')[0]}`,
  comment: `${layer} stands below ${layers.slice(i + 1).join(', ')} and must not import them`,
  severity: 'error',
  from: { path: `^(${layer})/` },
  to: { path: `^(${layers.slice(i + 1).join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'an import cycle between modules',
      severity: 'error',
      from: { pathNot: '^node_modules' },
      to: { circular: true },
    },
    {
      name: 'capabilities-apart',
      comment: 'the capabilities stand side by side; what two need lives below them',
      severity: 'error',
      from: { path: `^(${capabilities.join('|')})/` },
      to: { path: `^(${capabilities.join('|')})/`, pathNot: '^$1/' },
    },
    {
      name: 'tags-below-labels',
      comment: 'dvms/tags (the tagger) ← dvms/labels (the labeler) ← dvms/tagging (the DVM)',
      severity: 'error',
      from: { path: '^dvms/tags/' },
      to: { path: '^dvms/(labels|tagging)/' },
    },
    {
      name: 'labels-below-tagging',
      severity: 'error',
      from: { path: '^dvms/labels/' },
      to: { path: '^dvms/tagging/' },
    },
    {
      name: 'transformers-below-pool',
      comment: 'the worker pool runs the transformers runtime, not the other way round',
      severity: 'error',
      from: { path: '^models/transformers/' },
      to: { path: '^models/pool/' },
    },
    {
      name: 'train-below-models',
      comment: 'training code (models/train) is used by models/, never uses its index',
      severity: 'error',
      from: { path: '^models/train/' },
      to: { path: '^models/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^test/' },
  },
};
