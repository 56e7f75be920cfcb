// The node flags a master runs with; the CLI's shebang (src/cli/main.ts) carries the same list,
// for `supervisor run`, and the launcher passes it to the daemon. The master is long-lived and
// mostly idle: a small young generation saves 6 to 12 MB of RSS. Lite mode saved about 8 MB
// more on Node 20 but breaks Node 22 (its ESM facade of node:http loads undici, which needs
// wasm, which lite mode turns off) and Node 24 rejects --no-expose-wasm, so it is not used
// (docs/benchmarks.md, "Idle memory").
export const MASTER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
