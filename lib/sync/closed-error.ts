// The error every channel kind throws once it is closed (mpsc, oneshot, broadcast, watch). It
// lives with the channels, not in the core's errors.ts, so a program without channels does not
// carry it; it is branded the same way (see errors.ts), so `instanceof` holds across copies.

import { brand } from "../errors";

/** `send` on a channel whose receiver is gone, or another use of a closed channel. @public */
export class ChannelClosedError extends Error {
  /** Always `"ChannelClosedError"`, so a caught error can be told apart without `instanceof`. */
  override readonly name = "ChannelClosedError";
  constructor(message = "the channel is closed") {
    super(message);
  }
}

brand(ChannelClosedError, "ChannelClosedError");
