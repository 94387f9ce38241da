// Checks that src/http/routes.tbl and docs/openapi.yaml list the same
// routes (method + path). Prints every route found in one and not in the
// other and exits 1 when there is any; exits 0 and says how many matched
// otherwise.
//
// The spec is read line by line: under the top-level `paths:` key, a path
// is a key indented by two spaces that starts with '/', and an operation a
// key indented by four spaces that is an HTTP method. docs/openapi.yaml is
// written in that block style (no flow mappings, no anchors under paths);
// anything under `paths:` this reader does not understand is an error, so
// a change of style cannot make routes silently disappear.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO, readRoutes } from '../api/lib.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PATH_LEVEL_KEYS = ['summary', 'description', 'servers', 'parameters', '$ref'];

export function specRoutes(text) {
  const lines = text.split(/\r?\n/);
  const routes = [];
  const problems = [];
  let inPaths = false;
  let sawPaths = false;
  let current = null;
  lines.forEach((line, i) => {
    const n = i + 1;
    if (/^\S/.test(line) && !line.startsWith('#')) {
      inPaths = /^paths:\s*$/.test(line);
      if (inPaths) sawPaths = true;
      current = null;
      return;
    }
    if (!inPaths || /^\s*(#.*)?$/.test(line)) return;
    let m = /^ {2}(\S.*?):\s*$/.exec(line);
    if (m) {
      let key = m[1];
      if (/^'.*'$|^".*"$/.test(key)) key = key.slice(1, -1);
      if (!key.startsWith('/')) problems.push(`line ${n}: path key '${key}' does not start with '/'`);
      current = key;
      return;
    }
    if (/^ {2}\S/.test(line)) {
      problems.push(`line ${n}: cannot read this path entry: ${line.trim()}`);
      return;
    }
    m = /^ {4}([A-Za-z$][\w$-]*):/.exec(line);
    if (m) {
      const key = m[1];
      if (METHODS.includes(key)) {
        if (!current) problems.push(`line ${n}: operation '${key}' outside a path`);
        else routes.push({ method: key.toUpperCase(), path: current, line: n });
      } else if (!PATH_LEVEL_KEYS.includes(key) && !key.startsWith('x-')) {
        problems.push(`line ${n}: unknown key '${key}' under path '${current}'`);
      }
      return;
    }
    if (/^ {4}\S/.test(line)) problems.push(`line ${n}: cannot read this line under '${current}': ${line.trim()}`);
  });
  if (!sawPaths) problems.push('no top-level paths: key');
  return { routes, problems };
}

async function main() {
  const specFile = path.join(REPO, 'docs/openapi.yaml');
  const table = await readRoutes();
  const { routes: spec, problems } = specRoutes(await readFile(specFile, 'utf8'));
  const key = (r) => `${r.method} ${r.path}`;
  const inTable = new Set(table.map(key));
  const inSpec = new Set(spec.map(key));
  const failures = [...problems.map((p) => `docs/openapi.yaml ${p}`)];
  for (const k of [...inTable].filter((x, i, a) => a.indexOf(x) !== i)) failures.push(`routes.tbl lists ${k} twice`);
  const seen = new Set();
  for (const r of spec) {
    if (seen.has(key(r))) failures.push(`docs/openapi.yaml lists ${key(r)} twice (line ${r.line})`);
    seen.add(key(r));
  }
  for (const r of table) {
    if (!inSpec.has(key(r))) failures.push(`in src/http/routes.tbl but not in docs/openapi.yaml: ${key(r)}`);
  }
  for (const r of spec) {
    if (!inTable.has(key(r))) {
      failures.push(`in docs/openapi.yaml (line ${r.line}) but not in src/http/routes.tbl: ${key(r)}`);
    }
  }
  if (failures.length > 0) {
    for (const f of failures) console.error(`check-routes: ${f}`);
    console.error(`check-routes: FAILED (${failures.length} problem${failures.length === 1 ? '' : 's'})`);
    process.exit(1);
  }
  console.log(`check-routes: ok, ${table.length} routes in src/http/routes.tbl and docs/openapi.yaml agree`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await main();
}
