/**
 * The order of one round: rotated by the round number and reversed every other round, so every
 * implementation runs early, late, before and after each other one across a run, and machine
 * noise hits them all alike.
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = round % items.length;
  const rotated = [...items.slice(shift), ...items.slice(0, shift)];
  return round % 2 === 1 ? rotated.reverse() : rotated;
}
