// The card's pure pieces: the number and the counter code as people read
// them, what a provider typed or pasted, a card's and a loan's actions and
// their bodies, an item's name in the UI's language, and the area's routes.
import { describe, expect, it } from 'vitest';
import {
  CARD_ACTIONS, actionBody, cardActions, checkInput, formatCardNo, formatCode, itemName, loanActions, luhnValid, toAsciiDigits,
} from '../src/pages/cards/cards.js';
import routes from '../src/pages/cards/routes.js';
import { messages } from '../src/i18n/index.js';

describe('the card number and the code', () => {
  it('groups the card number in fours', () => {
    expect(formatCardNo('8156000000001234')).toBe('8156 0000 0000 1234');
    expect(formatCardNo('8156 0000 0000 1234')).toBe('8156 0000 0000 1234');
    expect(formatCardNo('815600')).toBe('8156 00');
    expect(formatCardNo('')).toBe('');
    expect(formatCardNo(null)).toBe('');
    expect(formatCardNo('n/a')).toBe('n/a');
  });
  it('splits the 8-digit code in two halves', () => {
    expect(formatCode('12345678')).toBe('1234 5678');
    expect(formatCode('00000001')).toBe('0000 0001');
    expect(formatCode('1234567')).toBe('1234567');
    expect(formatCode(undefined)).toBe('');
  });
  it('checks a Luhn digit', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('8156000000000018')).toBe(luhnValid('8156000000000018'));
    expect(luhnValid('abc')).toBe(false);
  });
  it('reads full-width digits', () => {
    expect(toAsciiDigits('１２３４')).toBe('1234');
  });
});

describe('what the provider typed', () => {
  const tok = 'GC1.k1.42.leading_talent.1900000000.' + 'A'.repeat(86);
  it('takes 8 digits as a code, spaces, dashes and full-width forgiven', () => {
    expect(checkInput('12345678')).toEqual({ code: '12345678' });
    expect(checkInput(' 1234 5678 ')).toEqual({ code: '12345678' });
    expect(checkInput('1234-5678')).toEqual({ code: '12345678' });
    expect(checkInput('１２３４５６７８')).toEqual({ code: '12345678' });
  });
  it('takes a token, also out of a verify URL and across line breaks', () => {
    expect(checkInput(tok)).toEqual({ token: tok });
    expect(checkInput(`  ${tok}\n`)).toEqual({ token: tok });
    expect(checkInput(`${tok.slice(0, 30)}\n${tok.slice(30)}`)).toEqual({ token: tok });
    expect(checkInput(`https://gg.example/api/v1/cards/verify?token=${encodeURIComponent(tok)}`)).toEqual({ token: tok });
  });
  it('refuses anything else before asking the server', () => {
    expect(checkInput('')).toBe(null);
    expect(checkInput('1234567')).toBe(null);
    expect(checkInput('123456789')).toBe(null);
    expect(checkInput('hello')).toBe(null);
    expect(checkInput('GC1.<script>')).toBe(null);
  });
});

describe('card actions', () => {
  it('draws the buttons of allowed_actions only, in order; the bank reject posts to bank-reject', () => {
    expect(cardActions({ allowed_actions: ['bank_reject', 'issue'] })).toEqual(['issue', 'bank_reject']);
    expect(cardActions({ allowed_actions: ['revoke', 'suspend', 'unknown'] })).toEqual(['suspend', 'revoke']);
    expect(cardActions({ allowed_actions: [] })).toEqual([]);
    expect(cardActions(null)).toEqual([]);
    expect(CARD_ACTIONS.bank_reject.path).toBe('bank-reject');
  });
  it('asks a reason where the action needs one', () => {
    expect(actionBody('reject', { reason: '  ' })).toEqual({ errors: { reason: 'reason' } });
    expect(actionBody('revoke', { reason: ' 离职 ' })).toEqual({ body: { reason: '离职' } });
    expect(actionBody('approve', { reason: 'x' })).toEqual({ body: {} });
  });
  it('checks the issued card: four digits and a day', () => {
    expect(actionBody('issue', { debit_last4: '１２３４', issued_on: '2026-03-01' })).toEqual({ body: { debit_last4: '1234', issued_on: '2026-03-01' } });
    expect(actionBody('issue', { debit_last4: '123', issued_on: '' })).toEqual({ errors: { debit_last4: 'last4', issued_on: 'issued_on' } });
  });
});

describe('loans and items', () => {
  it('draws a loan\'s buttons of allowed_actions only, in the order asked', () => {
    expect(loanActions({ allowed_actions: ['decline', 'accept'] }, ['accept', 'approve', 'decline'])).toEqual(['accept', 'decline']);
    expect(loanActions({ allowed_actions: ['withdraw'] }, ['accept', 'approve', 'decline'])).toEqual([]);
    expect(loanActions({ allowed_actions: ['withdraw'] })).toEqual(['withdraw']);
  });
  it('names an item in the UI\'s language', () => {
    const item = { id: 3, name: '健康体检', name_en: 'Health check-up' };
    expect(itemName(item, 'zh-CN')).toBe('健康体检');
    expect(itemName(item, 'en')).toBe('Health check-up');
  });
});

describe('the talent card pages', () => {
  it('sit in the 人才卡 menu group by permission', () => {
    const by = Object.fromEntries(routes.map((r) => [r.name, r.meta]));
    expect(by['my-card']).toMatchObject({ perm: 'cards_apply', role: 'talent', menu: { group: 'cards' } });
    expect(by['card-verify']).toMatchObject({ perm: 'benefits_redeem', menu: { group: 'cards' } });
    expect(by['card-bank']).toMatchObject({ perm: 'cards_issue', menu: { group: 'cards' } });
    expect(by.cards).toMatchObject({ perm: 'cards_review', menu: { group: 'cards' } });
    expect(by['benefit-catalogue']).toMatchObject({ perm: 'benefits_write', menu: { group: 'cards' } });
    expect(messages['zh-CN'].nav.cards).toBe('人才卡');
    expect(messages.en.nav.cards).toBe('Talent card');
  });
  it('translates every verdict reason and the headline', () => {
    for (const r of ['malformed', 'bad_signature', 'unknown_key', 'expired', 'revoked', 'suspended', 'not_active']) {
      expect(messages['zh-CN'].cards.verify.reasons[r]).toBeTruthy();
      expect(messages.en.cards.verify.reasons[r]).toBeTruthy();
    }
    expect(messages['zh-CN'].cards.register.headline.replace('{n}', '808')).toBe('808 人已申请');
    expect(messages.en.cards.register.headline.replace('{n}', '808')).toBe('808 applied');
  });
});
