import { type Acquisition, holdInterval } from '../history/acquisitions.js';

/** What exclusion a lock promises. */
export type ExclusionRule =
  | { type: 'mutex' }
  | { type: 'semaphore'; limit: number }
  | { type: 'read-write' };

/** One acquisition that entered while the rule said it must not. */
export interface OverlapExample {
  entered: string;
  fence: number;
  /** The holders it overlapped, as `worker#op (fence)`. */
  with: string[];
  atNs: string;
}

export interface OverlapResult {
  /** Acquisitions that entered while the rule excluded them. */
  overlaps: number;
  /** Most holders seen at once. */
  maxConcurrent: number;
  examples: OverlapExample[];
}

const label = (acq: Acquisition) => `${acq.worker}#${acq.op} (${acq.kind}, fence ${acq.fence})`;

/**
 * Sweeps the hold intervals (see {@link holdInterval}) in time order and counts every
 * acquisition that started while the rule excluded it: a mutex with any holder; a semaphore
 * with `limit` holders; a write with any holder, a read with a writer. Intervals are
 * half-open, so one that ends exactly when another starts does not overlap it.
 */
export function checkOverlap(
  acquisitions: readonly Acquisition[],
  rule: ExclusionRule,
): OverlapResult {
  const points: { at: bigint; start: boolean; acq: Acquisition }[] = [];
  for (const acq of acquisitions) {
    const { start, end } = holdInterval(acq);
    if (end <= start) continue;
    points.push({ at: start, start: true, acq }, { at: end, start: false, acq });
  }
  points.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : Number(a.start) - Number(b.start)));
  const active = new Set<Acquisition>();
  const examples: OverlapExample[] = [];
  let overlaps = 0;
  let maxConcurrent = 0;
  for (const point of points) {
    if (!point.start) {
      active.delete(point.acq);
      continue;
    }
    const conflicting = [...active].filter((other) => excludes(rule, point.acq, other));
    const excluded = rule.type === 'semaphore' ? active.size >= rule.limit : conflicting.length > 0;
    if (excluded) {
      overlaps++;
      if (examples.length < 5) {
        examples.push({
          entered: label(point.acq),
          fence: point.acq.fence,
          with: (rule.type === 'semaphore' ? [...active] : conflicting).map(label),
          atNs: point.at.toString(),
        });
      }
    }
    active.add(point.acq);
    maxConcurrent = Math.max(maxConcurrent, active.size);
  }
  return { overlaps, maxConcurrent, examples };
}

function excludes(rule: ExclusionRule, entering: Acquisition, holder: Acquisition): boolean {
  if (rule.type !== 'read-write') return true;
  return entering.kind === 'write' || holder.kind === 'write';
}
