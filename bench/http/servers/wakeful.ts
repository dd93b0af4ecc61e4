// The benchmark's wakeful server: examples/support/http.ts on TcpListener, one task per
// connection, on a real-clock runtime. Prints `{"port":N}` once listening.

import { run } from "../../../lib/index";
import { TcpListener } from "../../../lib/node/index";
import { serve, type ServerStats } from "../../../examples/support/http";

const stats: ServerStats = { connections: 0, requests: 0, errors: 0 };
run(function* () {
  const listener = yield* TcpListener.bind(0);
  console.log(JSON.stringify({ port: listener.port }));
  yield* serve(listener, stats);
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
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
