import { embedOne } from '../builtin/embedder.ts';
import { BUILTIN_TOXICITY_LABELS, classifyOne } from '../builtin/toxicity.ts';
import type { InferenceResult, InferenceTask } from '../inference.ts';

/**
 * A pool worker: runs one batch of texts through the model the task names. transformers.js is
 * imported only when a task needs it, so a built-in-only pool starts fast.
 */
async function run(task: InferenceTask): Promise<InferenceResult> {
  const { spec, texts } = task;
  switch (spec.kind) {
    case 'builtin-embedding': {
      const data = new Float32Array(texts.length * spec.dims);
      texts.forEach((t, i) => data.set(embedOne(t, spec.dims), i * spec.dims));
      return { kind: 'embedding', dims: spec.dims, data };
    }
    case 'builtin-toxicity': {
      const labels = [...BUILTIN_TOXICITY_LABELS];
      const data = new Float32Array(texts.length * labels.length);
      texts.forEach((t, i) => {
        const scores = classifyOne(t);
        labels.forEach((l, j) => (data[i * labels.length + j] = scores[l]!));
      });
      return { kind: 'scores', labels, data };
    }
    default: {
      const { runTransformers } = await import('../transformers/runtime.ts');
      return runTransformers(spec, texts);
    }
  }
}

export default run;
