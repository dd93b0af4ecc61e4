// What every channel handle (a sender or receiver of mpsc, broadcast, watch) shares: the channel
// it belongs to, its id and name, its text, and `using` closing it. One place, so the handles
// differ only in how they send, receive and close.

import { DISPOSE } from "./waiters";

/** Internal (not exported from an entry point): the naming every channel core has. */
export interface Labelled {
  readonly id: number;
  readonly name: string | undefined;
  readonly label: string;
}

/** The base of every channel handle: identity, name, text, and `using`. @public */
export abstract class ChannelHandle<C extends Labelled> {
  /** @internal Made by the channel's constructor function and by `clone()` / `subscribe()`. */
  constructor(/** @internal */ protected readonly core: C) {}

  /** The channel's id (`channel#3` in descriptions). */
  get id(): number {
    return this.core.id;
  }

  /** The channel's name, if it was given one. */
  get name(): string | undefined {
    return this.core.name;
  }

  /** Close this handle (idempotent); each kind says what that means for the other side. */
  abstract close(): void;

  /** The handle's kind in its text: `Sender`, `WatchReceiver`. */
  protected abstract get kind(): string;

  /** For `using`: closes this handle when the block ends (`using mine = tx.clone()`). */
  [DISPOSE](): void {
    this.close();
  }

  /** The handle in words, as errors and traces show it: `Sender(channel#3 "jobs")`. */
  toString(): string {
    return `${this.kind}(${this.core.label})`;
  }
}
