// Invented people and organisations for the registry tests. Nobody here is
// real: names are made up, resident ID numbers are generated with a
// correct GB 11643 check character (so they pass validation) from made-up
// sequence numbers, credit codes get a correct GB 32100 check character,
// phones and e-mail addresses are invented. The real people of DOMAIN.md
// never carry personal identifiers in tests.
//
// PERSONAL_DATA lists every personal-data value below (and the forms a
// server might print them in): tests/spec/check-logs.mjs greps the logs of
// a whole test run for each and fails when one appears. Every registry test
// takes its people from here, so that check covers them.

/* ISO 7064 MOD 11-2 check character of 17 digits (GB 11643). */
export function residentCheckChar(d17) {
  if (!/^\d{17}$/.test(d17)) throw new Error(`residentCheckChar: not 17 digits: ${d17}`);
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(d17[i]) * weights[i];
  return '10X98765432'[sum % 11];
}

/* A resident ID: area (6 digits), birth date YYYY-MM-DD, sequence (3 digits; odd: male). */
export function residentId(area, birthDate, seq) {
  const d17 = `${area}${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return d17 + residentCheckChar(d17);
}

/* The same number with a wrong check character. */
export function wrongCheck(id) {
  const right = id[17];
  const wrong = right === '0' ? '1' : '0';
  return id.slice(0, 17) + wrong;
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/* GB 32100 check character of 17 characters. */
export function usccCheckChar(c17) {
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(c17[i]);
    if (v < 0) throw new Error(`usccCheckChar: '${c17[i]}' is not in the GB 32100 alphabet`);
    sum += v * weights[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/* A credit code from its first 17 characters. */
export function uscc(c17) { return c17 + usccCheckChar(c17); }

/* Invented organisations (create bodies of POST /api/v1/orgs). */
export const ORGS = [
  { name: '光谷示例光电有限公司', uscc: uscc('91420100MA4K0A0B1'), kind: 'leading_enterprise', park: '光谷软件园', segments: ['optical_communication'] },
  { name: '江城示例生物研究院', uscc: uscc('12420100MB0C1D2E3'), kind: 'rd_unit', park: '光谷生物城', segments: ['synthetic_biology'] },
  { name: '东湖示例智算科技有限公司', uscc: uscc('91420100MA4L9F8G7'), kind: 'leading_enterprise', park: '光谷智慧园', segments: ['ai_computing'] },
];

/* Creates ORGS[0] and ORGS[1] through client (ids 1 and 2 on a fresh
 * installation) and returns their ids; fails the test on any other answer. */
export async function createTwoOrgs(assert, client) {
  const ids = [];
  for (const body of ORGS.slice(0, 2)) {
    const r = await client.post('/api/v1/orgs', body);
    assert.equal(r.status, 201, r.text);
    ids.push(r.json.id);
  }
  return ids;
}

/* Invented people (create bodies of POST /api/v1/talents, without org_id). */
export const PEOPLE = [
  {
    name: '艾思远', latin_name: 'Siyuan AI', gender: 'male', birth_date: '1978-05-12', nationality: 'CN',
    document: { type: 'resident_id', number: residentId('420111', '1978-05-12', 137) },
    phone: '13907150001', email: 'siyuan.ai@example.com', title: '首席科学家', city: '武汉',
    fields: ['光通信', '硅光芯片'], keywords: ['相干光模块'], segments: ['optical_communication'],
    honours: [{ kind: 'national_award', year: 2016 }], tier: 'top_scientist', status: 'landed',
  },
  {
    name: '柏文澜', gender: 'female', birth_date: '1985-11-02', nationality: 'CN',
    document: { type: 'resident_id', number: residentId('110105', '1985-11-02', 246) },
    phone: '13807150002', email: 'wenlan.bai@example.org', title: '研究员', city: '北京',
    fields: ['合成生物学'], keywords: ['基因线路', '酶工程'], segments: ['synthetic_biology'],
    honours: [], tier: 'leading_talent', status: 'in_contact',
  },
  {
    name: '岑晓舟', gender: 'male', birth_date: '1990-01-20', nationality: 'CN',
    document: { type: 'resident_id', number: residentId('310115', '1990-01-20', 351) },
    phone: '13607150003', email: 'xiaozhou.cen@example.net', title: '算法总监', city: '上海',
    fields: ['多模态大模型'], keywords: ['视觉语言'], segments: ['multimodal_models'],
    honours: [], tier: 'high_level', status: 'prospect',
  },
  {
    name: '邓一鸣', latin_name: 'Yiming DENG', gender: 'male', birth_date: '1969-08-30', nationality: 'CN',
    document: { type: 'resident_id', number: residentId('440305', '1969-08-30', 17) },
    phone: '13507150004', email: 'yiming.deng@example.com', title: '院长', city: '深圳',
    fields: ['激光'], keywords: ['超快激光'], segments: ['lasers'],
    honours: [{ kind: 'cae_academician', year: 2019 }], tier: 'strategic_scientist', status: 'serving',
  },
  {
    name: '范若溪', latin_name: 'Ruoxi FAN', gender: 'female', birth_date: '1982-03-14', nationality: 'SG',
    document: { type: 'passport', number: 'K7315024A' },
    phone: '+6581234567', email: 'ruoxi.fan@example.sg', title: '教授', city: '新加坡',
    fields: ['红外探测'], keywords: ['焦平面'], segments: ['infrared'],
    honours: [{ kind: 'foreign_academy', year: 2021 }], tier: 'top_scientist', status: 'prospect',
  },
];

/* Further valid numbers that tests use for changes and duplicates. */
export const SPARE = {
  residentId: residentId('420102', '1978-05-12', 481),
  phone: '13707150099',
  email: 'spare.person@example.com',
};

/* The variants of a phone a server could print: as given and digits only. */
function phoneForms(p) { return [p, p.replace(/\D/g, '')]; }

/* Every personal-data value of the fixtures: none may appear in any log. */
export const PERSONAL_DATA = [...new Set([
  ...PEOPLE.flatMap((p) => [p.document.number, ...phoneForms(p.phone), p.email]),
  ...PEOPLE.filter((p) => p.document.type === 'resident_id').map((p) => p.document.number.slice(6, 14) + p.document.number.slice(14)),
  SPARE.residentId, SPARE.phone, SPARE.email,
])];

/* A create body for person i with org_id and overrides merged in. */
export function talentBody(i, extra = {}) {
  return { ...structuredClone(PEOPLE[i]), ...extra };
}
