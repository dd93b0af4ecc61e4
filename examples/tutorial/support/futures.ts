// Two hand-written futures the tutorial's chapters share. They use only the model (Poll,
// Context, Waker), so any executor can poll them: the tutorial's mini-runtimes and wakeful alike.

import { Poll } from "../../../lib/index";
import type { Context, Future, Waker } from "../../../lib/index";

/**
 * Pending for its first `n` polls, then Ready. Each Pending poll first wakes its own task
 * (`cx.waker.wake()`), so it keeps its promise: "Pending means a wake is arranged".
 */
export class Countdown implements Future<string> {
  constructor(
    readonly label: string,
    private left: number,
  ) {}
  poll(cx: Context): Poll<string> {
    if (this.left === 0) return Poll.ready(`${this.label} done`);
    this.left--;
    cx.waker.wake(); // "poll me again": the wake-up is arranged before we say Pending
    return Poll.pending;
  }
  describe(): string {
    return `Countdown(${this.label})`;
  }
}

/**
 * Pending until someone calls `ring()`. It keeps the waker of the last poll, and `ring()`
 * wakes it: the shape of every real leaf future (a timer, a socket, a channel).
 */
export class Doorbell implements Future<string> {
  private rung = false;
  private waker: Waker | undefined = undefined;
  constructor(readonly label: string) {}
  poll(cx: Context): Poll<string> {
    if (this.rung) return Poll.ready(`${this.label}: ding`);
    this.waker = cx.waker;
    return Poll.pending;
  }
  ring(): void {
    this.rung = true;
    const w = this.waker;
    this.waker = undefined;
    w?.wake();
  }
  describe(): string {
    return `Doorbell(${this.label})`;
  }
}
