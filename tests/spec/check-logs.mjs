// Checks that no personal data reached a log: greps every server log kept
// by the API harness (build/test-logs/server-logs/, one file per server of
// the run, see tests/api/lib.mjs) for every personal-data value of the
// invented people the registry tests use (PERSONAL_DATA of
// tests/api/fixtures.mjs: identity document numbers, phones, e-mail
// addresses). Prints each file and value found and exits 1 when there is
// any; exits 1 too when there are no logs at all (the API tests did not
// run, so the check would prove nothing); exits 0 saying how much it read.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SERVER_LOGS } from '../api/lib.mjs';
import { PERSONAL_DATA } from '../api/fixtures.mjs';

async function main() {
  let names;
  try {
    names = (await readdir(SERVER_LOGS)).filter((n) => n.endsWith('.log')).sort();
  } catch (e) {
    console.error(`check-logs: cannot read ${SERVER_LOGS}: ${e.message} (run the API tests first)`);
    return 1;
  }
  if (names.length === 0) {
    console.error(`check-logs: no server logs in ${SERVER_LOGS} (run the API tests first)`);
    return 1;
  }
  if (PERSONAL_DATA.length === 0) {
    console.error('check-logs: PERSONAL_DATA of tests/api/fixtures.mjs is empty');
    return 1;
  }
  let bytes = 0;
  let lines = 0;
  const found = [];
  for (const name of names) {
    const file = path.join(SERVER_LOGS, name);
    const text = await readFile(file, 'utf8');
    bytes += text.length;
    const fileLines = text.split('\n');
    lines += fileLines.length;
    for (const value of PERSONAL_DATA) {
      const lower = value.toLowerCase();
      fileLines.forEach((line, i) => {
        if (line.toLowerCase().includes(lower)) found.push(`${file}:${i + 1}: personal data '${value}'`);
      });
    }
  }
  if (lines < names.length * 2) {
    console.error(`check-logs: the ${names.length} server logs hold almost nothing (${bytes} bytes): is logging on?`);
    return 1;
  }
  if (found.length > 0) {
    console.error(`check-logs: personal data in ${found.length} log line(s):`);
    for (const f of found) console.error(`  ${f}`);
    return 1;
  }
  console.log(`check-logs: ${names.length} server logs (${lines} lines) hold none of ${PERSONAL_DATA.length} personal-data values`);
  return 0;
}

process.exitCode = await main();
