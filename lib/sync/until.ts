// A future that waits until a condition of its primitive holds (the receivers are gone), as the
// `closed()` of every sender. The primitive keeps one WakerSet for it and wakes it at the change.

import { Op, Poll } from "../poll";
import type { Context } from "../waker";
import type { WakerSet } from "../waiting";

/** @internal Ready once `holds()`; until then each waiter sits in `waiters` (drop removes it). */
export class Until extends Op<void> {
  constructor(
    private readonly holds: () => boolean,
    private readonly waiters: WakerSet,
    private readonly what: string,
  ) {
    super();
  }

  poll(cx: Context): Poll<void> {
    if (this.holds()) {
      this.waiters.delete(cx.waker);
      return Poll.ready(undefined);
    }
    this.waiters.add(cx.waker);
    return Poll.pending;
  }

  drop(cx: Context): void {
    this.waiters.delete(cx.waker);
  }

  describe(): string {
    return this.what;
  }
}
