// The node flags a master runs with; the CLI's shebang (src/cli/main.ts) carries the same list,
// for `supervisor run`, and the launcher passes it to the daemon. The master is long-lived and
// mostly idle: a small young generation saves 6 to 12 MB of RSS, and lite mode (the
// interpreter only, no optimizing compiler; wasm off, which lite mode cannot run) about 8 MB
// more, and keeps the young generation from growing under scrapes, at no measurable cost to
// its latency (docs/benchmarks.md, "Idle memory").
export const MASTER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--lite-mode', '--no-expose-wasm'];
