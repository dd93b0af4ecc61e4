// Clocks: where a runtime's "now" comes from. A real clock reads the host's monotonic time;
// a virtual clock starts at 0 and moves only when the runtime advances it to the next timer
// (auto-advance), so timing is exact and a run is a pure function of its schedule.

import { monotonicNow } from "./host";

/** Which clock a runtime uses. @public */
export type ClockKind = "real" | "virtual";

/** A runtime's source of time, in milliseconds. */
export interface Clock {
  readonly kind: ClockKind;
  now(): number;
}

/** Host time, in ms since the runtime was created. */
export class RealClock implements Clock {
  readonly kind = "real" as const;
  private readonly origin = monotonicNow();
  now(): number {
    return monotonicNow() - this.origin;
  }
}

/** Time that moves only when told: starts at 0, never goes backwards. */
export class VirtualClock implements Clock {
  readonly kind = "virtual" as const;
  private t = 0;
  now(): number {
    return this.t;
  }
  /** Jump forward to `t` (a no-op when `t` is not later than now). */
  advanceTo(t: number): void {
    if (t > this.t) this.t = t;
  }
}

export function makeClock(kind: unknown): RealClock | VirtualClock {
  if (kind === undefined || kind === "real") return new RealClock();
  if (kind === "virtual") return new VirtualClock();
  throw new RangeError(`unknown clock ${JSON.stringify(kind)}: use "real" or "virtual"`);
}
