// The cluster-mode section of docs/migrating-from-pm2.md, in a file of its own: cluster mode
// (issue 15 item 1) is built separately, and whoever builds it replaces this text. Until then
// it says what happens today: `exec_mode: "cluster"` is refused with advice.

// The Markdown of the section, between its markers in the generated page.
export const CLUSTER_SECTION: readonly string[] = [
  '## Cluster mode (`exec_mode: "cluster"`)',
  '',
  '<!-- Cluster mode: this section is filled in when cluster mode lands (src/config/pm2-cluster-doc.ts). -->',
  '',
  'Not supported yet. `exec_mode: "fork"` (what every instance is here) is ignored with a warning;',
  '`exec_mode: "cluster"` makes the file invalid, with this advice: every instance is its own',
  'supervised process; to share a port across instances, set `listen` and take the inherited',
  'socket (see [protocols.md](protocols.md)).',
];
