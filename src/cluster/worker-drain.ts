// Finish-and-exit for an unmodified app in cluster mode. On the app's stop_signal, the servers
// the preload served stop accepting and drain (HTTP ones as the SDK's drainOnShutdown does:
// in-flight requests finish, keep-alive clients are told `Connection: close`); then, unless the
// app listens for that signal itself, the signal is raised again and does what it would have
// done without us. An app with its own handler keeps deciding when it exits.
import type http from 'node:http';
import type net from 'node:net';
import { trackForDrain } from '../sdk/drain.js';

// Where the preload registers the servers it served.
export interface ServedServers {
  served(server: net.Server): void;
}

// Drains what is registered when `signal` arrives.
export function drainOnSignal(signal: NodeJS.Signals): ServedServers {
  const drains = new WeakMap<net.Server, () => Promise<void>>();
  const open = new Set<net.Server>();
  let installed = false;
  let draining = false;
  const onSignal = () => {
    if (draining) return;
    draining = true;
    // Counted now: ours runs first, before a `once` handler of the app removes itself.
    const appHandles = process.listenerCount(signal) > 1;
    void Promise.all([...open].map((s) => drains.get(s)!())).then(() => {
      if (appHandles) return; // the app's own handler decides when it exits
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    });
  };
  return {
    served(server) {
      if (!drains.has(server)) {
        // http.Server and https.Server both carry Node's HTTP options (and loading https here
        // would cost every worker a TLS start-up).
        const isHttp = 'headersTimeout' in server && 'keepAliveTimeout' in server;
        drains.set(server, isHttp ? trackForDrain(server as http.Server).drain : () => new Promise<void>((resolve) => server.close(() => resolve())));
      }
      open.add(server);
      server.once('close', () => open.delete(server));
      if (!installed) {
        installed = true;
        process.prependListener(signal, onSignal);
      }
    },
  };
}
