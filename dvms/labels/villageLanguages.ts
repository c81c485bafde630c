/** Confidence from which a guess teaches the village's languages, and the most a language's count adds. */
const LEARN_FROM = 0.9;
const WEIGHT = 0.02;
const MAX_BONUS = 0.06;

/**
 * The languages the village writes in, learnt from the labeler's own confident guesses: a
 * language the village uses a lot is the likelier answer when franc hesitates between close
 * relatives on a short post (Spanish or Galician, in a village with many Spanish posts and no
 * Galician ones). Each language's bonus is WEIGHT × log10(1 + confident posts), at most
 * MAX_BONUS, added to franc's score before the softmax.
 */
export class VillageLanguages {
  private readonly counts = new Map<string, number>();

  /** A guess (ISO-639-3) and its confidence; only confident ones count. */
  record(iso6393: string, confidence: number): void {
    if (confidence >= LEARN_FROM) this.counts.set(iso6393, (this.counts.get(iso6393) ?? 0) + 1);
  }

  bonus(iso6393: string): number {
    return Math.min(MAX_BONUS, WEIGHT * Math.log10(1 + (this.counts.get(iso6393) ?? 0)));
  }

  /** Confident posts per language, most first. */
  get seen(): [string, number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1]);
  }
}
