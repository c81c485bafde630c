/** A reporter's record: how their reports ended. */
export interface TrackRecord {
  upheld: number;
  overturned: number;
  /** Reports filed (decided or not). */
  filed: number;
}

export const NO_RECORD: TrackRecord = Object.freeze({ upheld: 0, overturned: 0, filed: 0 });

/**
 * A report's weight: the reporter's share of upheld reports under a Beta prior (as Discourse
 * weighs flags by the flagger's accuracy), so a newcomer starts at prior / (prior sum) and a
 * record moves it only as outcomes accumulate. Always in (0, 1).
 */
export function reporterWeight(r: TrackRecord, prior: { upheld: number; overturned: number }): number {
  return (r.upheld + prior.upheld) / (r.upheld + r.overturned + prior.upheld + prior.overturned);
}
