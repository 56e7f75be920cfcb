// The part of autocannon's API the reload benchmark uses (it ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';
  interface Options { url: string; connections: number; duration: number; pipelining?: number; timeout?: number }
  interface Result { requests: { total: number }; errors: number; timeouts: number; non2xx: number; duration: number }
  interface Instance extends EventEmitter {
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this;
    on(event: 'reqError', listener: (error: NodeJS.ErrnoException) => void): this;
    on(event: 'done', listener: (result: Result) => void): this;
    stop(): void;
  }
  function autocannon(opts: Options, cb?: (err: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
