// The cluster-mode benchmark's app: an unmodified Express app as PM2 users write it, the same
// file under both supervisors. app.listen(PORT) in every instance, a 20 ms handler, no
// readiness signal, no shutdown handler, no SDK.
const express = require('express');

const app = express();
app.get('/', (req, res) => {
  setTimeout(() => res.type('text/plain').send(`hello from pid ${process.pid}\n`), 20);
});
app.listen(Number(process.env.PORT));
