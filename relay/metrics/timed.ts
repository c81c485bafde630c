import { timeInference } from './registry.ts';

interface Classifying {
  classify(texts: readonly string[]): Promise<unknown>;
  id?: string;
  info?: { id: string };
}

/** The same classifier, with each classify() call timed in hamlet_model_inference_seconds. */
export function timedClassifier<T extends Classifying>(c: T): T {
  const model = c.info?.id ?? c.id ?? 'unknown';
  return new Proxy(c, {
    get(target, prop) {
      if (prop === 'classify') {
        return (texts: readonly string[]) => {
          const done = timeInference(model, 'classify');
          return target.classify(texts).finally(done);
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
