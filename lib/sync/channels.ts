// Channels: mpsc channel, oneshot, broadcast, watch (re-exported from lib/sync).
export { channel } from "./channel";
export type { ChannelOptions } from "./channel";
export { Sender } from "./channel-sender";
export { Receiver } from "./channel-receiver";
