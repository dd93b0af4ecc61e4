// Channels: mpsc channel, oneshot, broadcast, watch (re-exported from lib/sync).
// Every waiter is a future that takes what it waits for only in its own poll, so a cancelled
// recv, send or changed() leaves its channel as if it had never been made.
export { channel } from "./channel";
export type { ChannelOptions } from "./channel";
export { Sender, SendPermit } from "./channel-sender";
export { ChannelHandle } from "./channel-handle";
export { Receiver } from "./channel-receiver";
export { oneshot, OneshotSender, OneshotReceiver } from "./oneshot";
export { broadcast, BroadcastSender, BroadcastReceiver, LaggedError } from "./broadcast";
export { watch, WatchSender, WatchReceiver } from "./watch";
