// A small XLSX reader for the browser tests, without dependencies: the
// zip's central directory gives each member's place and size (reliable
// even when the writer streamed with data descriptors), members are stored
// or deflated (node:zlib inflateRawSync), and the first worksheet's cells
// are read from shared strings, inline strings or plain values.
import { inflateRawSync } from 'node:zlib';

/** The members of a zip archive: Map name → Buffer. */
export function unzip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at ${p}`);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header of ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    if (method === 0) files.set(name, Buffer.from(raw));
    else if (method === 8) files.set(name, inflateRawSync(raw));
    else throw new Error(`${name}: compression method ${method} not supported`);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const unescape = (s) =>
  s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-fA-F]+));/g, (m, name, dec, hex) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[name];
  });

/* The text of an <si> or <is>: its <t> runs joined. */
const runs = (xml) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)].map((m) => unescape(m[1] || '')).join('');

/** The cells of the first worksheet of an XLSX file: {A1: 'text', B2: '...'}. */
export function readSheet(buf) {
  const files = unzip(buf);
  const sheet = files.get('xl/worksheets/sheet1.xml');
  if (!sheet) throw new Error('no xl/worksheets/sheet1.xml in the workbook');
  const sharedXml = files.get('xl/sharedStrings.xml');
  const shared = sharedXml ? [...sharedXml.toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => runs(m[1])) : [];
  const cells = {};
  for (const m of sheet.toString('utf8').matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const ref = /\br="([A-Z]+\d+)"/.exec(m[1]);
    if (!ref) continue;
    const type = (/\bt="(\w+)"/.exec(m[1]) || [])[1];
    const body = m[2] || '';
    const v = /<v>([\s\S]*?)<\/v>/.exec(body);
    if (type === 's') cells[ref[1]] = v ? shared[Number(v[1])] : '';
    else if (type === 'inlineStr') cells[ref[1]] = runs(body);
    else cells[ref[1]] = v ? unescape(v[1]) : '';
  }
  return cells;
}

/** The rows of a sheet's cells as arrays (row 1 first), columns A.. in order. */
export function sheetRows(cells) {
  const col = (letters) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  const rows = [];
  for (const [ref, value] of Object.entries(cells)) {
    const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(ref);
    const r = Number(digits) - 1;
    (rows[r] = rows[r] || [])[col(letters)] = value;
  }
  return rows.map((r) => Array.from(r || [], (v) => v ?? ''));
}
