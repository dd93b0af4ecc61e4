// A time in ms as messages and descriptions print it. A real clock reads fractions of a ms
// (performance.now()), and `t=3.9881130000000553` tells a reader nothing the rounded
// `t=3.988` does not; whole numbers (every virtual-clock time) print as they are.

/** `t` with at most three decimals and no trailing zeros: 3.988113 → "3.988", 5 → "5". */
export function formatMs(t: number): string {
  if (Number.isInteger(t) || !Number.isFinite(t)) return String(t);
  return String(Math.round(t * 1000) / 1000);
}
