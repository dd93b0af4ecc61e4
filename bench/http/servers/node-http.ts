// The benchmark's baseline: node's own http module (llhttp parser, keep-alive by default)
// answering the same fixed response. Prints `{"port":N}`.

import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { BODY } from "../../../examples/support/http";

let requests = 0;
const server = http.createServer((_req, res) => {
  requests++;
  res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": BODY.length });
  res.end(BODY);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
// SIGUSR2 marks the start of the measured run; SIGTERM reports requests and CPU time since.
let mark = { requests: 0, cpu: process.cpuUsage() };
process.on("SIGUSR2", () => {
  mark = { requests: requests, cpu: process.cpuUsage() };
});
process.on("SIGTERM", () => {
  const cpu = process.cpuUsage(mark.cpu);
  console.error(JSON.stringify({ requests: requests - mark.requests, cpuMicros: cpu.user + cpu.system }));
  process.exit(0);
});
