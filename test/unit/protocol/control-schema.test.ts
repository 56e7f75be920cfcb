// The control protocol's schema: what the CLI sends passes, and each field out of type or range
// is refused naming the field, with the config's own limits (1024 workers, app names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRequest, isProblem } from '../../../src/protocol/control-schema.js';

const req = (verb: string, args?: unknown, extra: Record<string, unknown> = {}) => ({ v: 1, id: 7, verb, ...(args === undefined ? {} : { args }), ...extra });

test('every request shape the CLI sends is accepted', () => {
  const good = [
    req('ping', {}), req('status', {}), req('status'), req('metrics', { format: 'openmetrics' }), req('logs', {}), req('logs', { app: 'web' }),
    req('describe', { app: 'web' }), req('reload', {}), req('restart', { app: 'web' }), req('stop', {}), req('stop', { app: 'web' }),
    req('delete', { app: 'web' }), req('scale', { app: 'web', instances: 0 }), req('scale', { app: 'web', instances: 1024 }),
    req('start', { app: 'web' }), req('start', { config: '/srv/ecosystem.json', env: null }), req('start', { config: '/srv/e.json', env: 'production' }),
    req('forget', { config: '/srv/ecosystem.json' }), req('reload', { app: 'a b.c-d_é' }),
  ];
  for (const r of good) {
    const parsed = checkRequest(r);
    assert.ok(!isProblem(parsed), `${JSON.stringify(r)}: ${isProblem(parsed) ? parsed.message : ''}`);
    assert.equal(parsed.id, 7);
  }
});

test('each bad field is refused with E_BAD_REQUEST naming it', () => {
  const bad: [unknown, RegExp][] = [
    [req('scale', { app: 'web', instances: 1025 }), /^args\.instances: expected a whole number of workers from 0 to 1024, found 1025$/],
    [req('scale', { app: 'web' }), /^args\.instances: scale needs it/],
    [req('scale', { instances: 2 }), /^args\.app: scale needs it/],
    [req('reload', { app: '' }), /^args\.app: expected an app name/],
    [req('reload', { app: 'x'.repeat(201) }), /^args\.app/],
    [req('reload', { app: '..' }), /^args\.app/],
    [req('reload', { app: 'a\nb' }), /^args\.app/],
    [req('start', {}), /^args: start takes either app .* or config/],
    [req('start', { app: 'web', config: '/x.json' }), /^args: start takes either/],
    [req('forget', { config: '/x\u0000' }), /^args\.config: expected the absolute path/],
    [req('forget', { config: '/' + 'x'.repeat(5000) }), /^args\.config/],
    [req('ping', { x: 1 }), /^args\.x: ping takes no arguments$/],
    [req('reload', { instances: 1 }), /^args\.instances: reload takes only app$/],
    [req('ping', 'all'), /^args: expected an object/],
    [req('hasOwnProperty', {}), /^verb: expected one of ping, status/],
    [req('ping', {}, { id: 1.5 }), /^id: expected a whole number/],
    [req('ping', {}, { id: Number.MAX_SAFE_INTEGER + 2 }), /^id: expected a whole number/],
    [req('ping', {}, { v: '1' }), /^v: expected 1/],
    [req('ping', {}, { extra: 1 }), /^extra: unknown key/],
    [null, /^expected a JSON object, found null$/],
    [[1], /^expected a JSON object/],
  ];
  for (const [raw, message] of bad) {
    const parsed = checkRequest(raw);
    assert.ok(isProblem(parsed), JSON.stringify(raw));
    assert.equal(parsed.code, 'E_BAD_REQUEST');
    assert.match(parsed.message, message);
  }
});

test('another version is E_VERSION, answered with the request id', () => {
  const parsed = checkRequest({ v: 2, id: 9, verb: 'status', args: {} });
  assert.deepEqual(parsed, { code: 'E_VERSION', id: 9, message: 'unsupported protocol version 2; this master speaks 1' });
});
