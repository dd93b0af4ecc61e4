// The benchmark's async/await server: the same parser and responses as the wakeful one, on
// node:net with one async function per connection reading `for await (const chunk of socket)`
// and awaiting 'drain' when a write is back-pressured. Prints `{"port":N}`.

import { once } from "node:events";
import * as net from "node:net";
import { parseRequests, responses, type ServerStats } from "../../../examples/support/http";

const stats: ServerStats = { connections: 0, requests: 0, errors: 0 };

async function serveConnection(socket: net.Socket): Promise<void> {
  let buf: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of socket) {
      buf = buf.length === 0 ? (chunk as Buffer) : Buffer.concat([buf, chunk as Buffer]);
      const p = parseRequests(buf);
      if (p.requests > 0) {
        stats.requests += p.requests;
        if (!socket.write(responses(p.requests, p.close))) await once(socket, "drain");
        buf = buf.subarray(p.consumed);
      }
      if (p.error !== undefined) {
        socket.write(p.error);
        return;
      }
      if (p.close) return;
    }
  } catch {
    stats.errors++;
  } finally {
    socket.end();
  }
}

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  stats.connections++;
  void serveConnection(socket);
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: (server.address() as net.AddressInfo).port })));
// SIGUSR2 marks the start of the measured run; SIGTERM reports requests and CPU time since.
let mark = { requests: 0, cpu: process.cpuUsage() };
process.on("SIGUSR2", () => {
  mark = { requests: stats.requests, cpu: process.cpuUsage() };
});
process.on("SIGTERM", () => {
  const cpu = process.cpuUsage(mark.cpu);
  console.error(JSON.stringify({ requests: stats.requests - mark.requests, cpuMicros: cpu.user + cpu.system }));
  process.exit(0);
});
