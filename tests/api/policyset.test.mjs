// The policy packs at server start: a bad pack stops start-up naming the
// file, the line and the reason; the demo's recognitions stamp the
// version they were made under, and a pack whose version changed after
// that (same name, same version, other content) is refused at the next
// start, while a new version added beside it is fine.

import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { POLICY_DIR, Server, initDir, removeDir, runOk, tempDir } from './lib.mjs';

const dirs = [];
after(async () => { for (const d of dirs) await removeDir(d); });

/* An installation with its own copy of the policy packs; returns {dir, policy, pack}. */
async function installation({ demo = false } = {}) {
  const dir = await tempDir();
  dirs.push(dir);
  const policy = path.join(dir, 'policy');
  await cp(POLICY_DIR, policy, { recursive: true });
  const env = { GUANGGU_POLICY_DIR: policy };
  await initDir(dir, env);
  if (demo) await runOk(['demo', '--dir', dir], { env, timeoutMs: 120000 });
  return { dir, env, pack: path.join(policy, 'optics-valley-2024.yaml') };
}

async function refused(inst) {
  try {
    const s = await Server.start(inst.dir, { env: inst.env });
    await s.stop();
  } catch (e) {
    return e.message;
  }
  assert.fail('the server started');
}

test('a bad pack stops start-up with file, line and reason', async () => {
  const inst = await installation();
  const s = await Server.start(inst.dir, { env: inst.env });
  assert.equal((await s.stop()).code, 0);
  const text = await readFile(inst.pack, 'utf8');
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^\s+value: 5000$/.test(l));
  assert.ok(at > 0, 'the pack has rate_bp 5000');
  lines[at] = lines[at].replace('5000', '"fifty percent"');
  await writeFile(inst.pack, lines.join('\n'));
  const msg = await refused(inst);
  assert.match(msg, new RegExp(`optics-valley-2024\\.yaml:${at + 1}: .*rate_bp`), msg);
});

test('a version changed after its first decision is refused at start; a new version is not', async () => {
  const inst = await installation({ demo: true });
  const text = await readFile(inst.pack, 'utf8');
  /* a new version closing the one in use, as a policy officer adopts next year's rules */
  const s = await Server.start(inst.dir, { env: inst.env });
  assert.equal((await s.stop()).code, 0);
  const changed = text.replace(/value: 5000\n/, 'value: 4000\n');
  assert.notEqual(changed, text);
  await writeFile(inst.pack, changed);
  const msg = await refused(inst);
  assert.match(msg, /policy 'optics-valley-2024' version '[^']+' changed since its first use/, msg);
  /* next year's rules as a new version: the one in use is closed ([from, to)), its content kept */
  const start = text.indexOf('  - version: "2024.1"');
  const next = text.slice(start).replace('"2024.1"', '"2030.1"').replace(/from: "2024-01-01"/, 'from: "2030-01-01"')
    .replace(/value: 5000\n/, 'value: 4000\n');
  const closed = text.replace(/(from: "2024-01-01"\n)/, '$1    to: "2030-01-01"\n');
  await writeFile(inst.pack, `${closed.trimEnd()}\n${next}`);
  const again = await Server.start(inst.dir, { env: inst.env });
  assert.equal((await again.stop()).code, 0, again.stderr);
  const shown = await runOk(['policy', 'show', '--on', '2030-06-01', '--dir', inst.dir], { env: inst.env });
  assert.match(shown.stdout, /version 2030\.1 in force on 2030-06-01/);
  assert.match(shown.stdout, /rate_bp\s+4000/);
});
