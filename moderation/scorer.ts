import type { Embedder } from '../models/index.ts';
import type { Logger } from '../relay/log.ts';
import type { CaseEvidence } from './case.ts';
import type { HeadRegistry } from './headRegistry.ts';
import { HIDE } from './training.ts';

/**
 * Scores a new case's event with the approved version of the village moderation head (P(hide)),
 * for the case's evidence. Advisory: it decides nothing. A version is used only once an operator
 * approved it, and only over the embedding model it was trained on.
 */
export class CaseScorer {
  private warned = new Set<string>();

  constructor(
    private readonly registry: HeadRegistry,
    private readonly embedder: Embedder,
    private readonly log: Logger,
  ) {}

  async score(text: string): Promise<CaseEvidence | undefined> {
    let active;
    try {
      active = this.registry.active();
    } catch (err) {
      this.warnOnce('unreadable', { err: (err as Error).message }, 'moderation: the approved moderation head cannot be read; cases are not scored');
      return undefined;
    }
    if (!active) return undefined;
    const base = active.head.baseModel;
    if (base.id !== this.embedder.info.id || base.version !== this.embedder.info.version) {
      this.warnOnce(`${active.version}`, { head: base, embedder: this.embedder.info }, 'moderation: the approved head was trained over another embedding model; cases are not scored');
      return undefined;
    }
    const [vector] = await this.embedder.embed([text]);
    const score = active.head.predict(vector!)[HIDE] ?? 0;
    return { model: this.registry.fileName(active.version), modelVersion: active.card.createdAt, score };
  }

  private warnOnce(key: string, fields: object, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log.warn(fields, message);
  }
}
