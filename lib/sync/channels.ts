// Channels: mpsc channel, oneshot, broadcast, watch (re-exported from lib/sync).
export {};
