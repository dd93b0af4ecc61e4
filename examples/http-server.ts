// An HTTP/1.1 server written with wakeful's TcpListener and TcpStream (wakeful/node), talked
// to by Node's own http client. The server is one task accepting connections in a scope, and
// one task per connection reading requests and writing a fixed answer, keeping the connection
// alive between requests. The client sends three requests over one kept-alive connection,
// a POST with a body, and a request asking to close; then the server task is cancelled, which
// cancels every connection task and closes their sockets. Real sockets on 127.0.0.1 with an
// ephemeral port; the output names no port and no time, so it is the same on every run.

import * as http from "node:http";
import { fromPromise, run, spawn } from "../lib/index";
import { TcpListener } from "../lib/node/index";
import { serve, type ServerStats } from "./support/http";

interface Answer {
  status: number | undefined;
  body: string;
  reused: boolean;
}

/** One request with Node's http client: a Promise, as async code makes it. */
function request(port: number, agent: http.Agent, method: string, body?: string, headers: http.OutgoingHttpHeaders = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: "/", agent, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode, body: text, reused: req.reusedSocket }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

run(function* () {
  const listener = yield* TcpListener.bind(0);
  console.log(`listening on ${listener.address().address} (an ephemeral port)`);
  const stats: ServerStats = { connections: 0, requests: 0, errors: 0 };
  const server = spawn(serve(listener, stats), { name: "http server" });

  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const port = listener.port;
  for (let i = 1; i <= 3; i++) {
    const a = yield* fromPromise(request(port, agent, "GET"));
    console.log(`GET #${i}: ${a.status} ${a.body} (connection reused: ${a.reused})`);
  }
  const post = yield* fromPromise(request(port, agent, "POST", "name=wakeful", { "Content-Type": "application/x-www-form-urlencoded" }));
  console.log(`POST with a 12-byte body: ${post.status} ${post.body} (connection reused: ${post.reused})`);
  const last = yield* fromPromise(request(port, agent, "GET", undefined, { Connection: "close" }));
  console.log(`GET with Connection: close: ${last.status} ${last.body} (connection reused: ${last.reused})`);
  const fresh = yield* fromPromise(request(port, agent, "GET"));
  console.log(`GET after the close: ${fresh.status} (connection reused: ${fresh.reused})`);

  agent.destroy();
  server.abort(); // cancels the accept loop and every connection task (their finally blocks close the sockets)
  try {
    yield* server;
  } catch (error) {
    console.log(`server task ended: ${(error as Error).name}`);
  }
  listener.close();
  console.log(`server accepted ${stats.connections} connections and answered ${stats.requests} requests (${stats.errors} socket errors)`);
}).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
