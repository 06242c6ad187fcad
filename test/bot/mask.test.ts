import { Writable } from 'node:stream';
import { createLogger } from '../../bot/logger';
import { isMainlandIdNumber, maskPhone, maskText } from '../../domain/mask';
import { readCode, readMobile } from '../../dialogs/flows/input';
import { typedNumbers } from '../../domain/typedNumbers';
import { HOSTILE_FORMS, ORDINARY_TEXT } from '../support/typedNumberForms';

describe('masking phone and ID numbers', () => {
  test('mainland mobile numbers keep the first 3 and last 4 digits', () => {
    expect(maskText('我的号码是13800000002，帮我看看')).toBe('我的号码是138****0002，帮我看看');
    expect(maskText('15912345678 and 13900000000')).toBe('159****5678 and 139****0000');
  });

  test('numbers that are not mobile numbers are left alone', () => {
    expect(maskText('订单号 12800000002 金额 100')).toBe('订单号 12800000002 金额 100');
    expect(maskText('case 2023100100012345')).toBe('case 2023100100012345');
  });

  test('ID numbers with a valid GB 11643 check digit are masked', () => {
    expect(isMainlandIdNumber('11010519491231002X')).toBe(true);
    expect(isMainlandIdNumber('110105194912310021')).toBe(false);
    expect(maskText('身份证11010519491231002X')).toBe('身份证110***********002X');
    expect(maskText('not an id 110105194912310021')).toBe('not an id 110105194912310021');
  });

  test('six digits standing alone (a code) are hidden; longer numbers are not codes', () => {
    expect(maskText('验证码 802560 不对吗')).toBe('验证码 ****** 不对吗');
    expect(maskText('1234567')).toBe('1234567');
  });

  test('the bot\'s own lines are left as they are', () => {
    for (const line of [
      '如果该号码已注册，验证码已发送至 138****0002，5 分钟内有效。',
      '申诉已提交，案件号 **AP-20261123-7K3Q**。我们会在 3 个工作日内（2026-11-26 前）答复您。',
      '您排在第 301 位，预计等待 1505 分钟。',
      '身份证 110***********002X',
    ]) {
      expect(maskText(line)).toBe(line);
    }
  });
});

/**
 * Numbers typed the way people type them. Each is one the flows accept (the first column
 * reads it), and none may be kept in full.
 */
describe('numbers as people type them are read and masked alike', () => {
  test.each([
    ['138 0000 0002', '138****0002'],
    ['１３８０００００００２', '138****0002'],
    ['138-0000-0002', '138****0002'],
    ['138—0000—0002', '138****0002'],
    ['１３８　００００　０００２', '138****0002'],
    ['+86 138 0000 0002', '+86138****0002'],
    ['138\u200b0000\u200d0002', '138****0002'],
    ['13800000002', '138****0002'],
  ])('mobile %j', (typed, kept) => {
    expect(readMobile(`我的手机是 ${typed} 谢谢`)).toBe('13800000002');
    expect(maskText(`我的手机是 ${typed} 谢谢`)).toBe(`我的手机是 ${kept} 谢谢`);
  });

  test.each([['０１０９９２'], ['010 993'], ['0 1 0 9 9 4'], ['010\u200b995'], ['０１０ ９９６']])('code %j', (typed) => {
    expect(readCode(typed)).toMatch(/^\d{6}$/);
    expect(maskText(`验证码 ${typed}`)).toBe('验证码 ******');
  });

  test.each([['验证码123456'], ['验证码是 123456'], ['code: 123456'], ['my code is 123 456'], ['收到了 123456']])('a code with its label %j is the code', (typed) => {
    expect(readCode(typed)).toBe('123456');
  });

  test.each([['我的卡号后六位123456'], ['123456 13800000002'], ['不是123456']])('%j is no code', (typed) => {
    expect(readCode(typed)).toBeUndefined();
  });

  test('an ID number typed in groups or with a full-width X', () => {
    expect(maskText('110105 19491231 002X')).toBe('110***********002X');
    expect(maskText('１１０１０５１９４９１２３１００２Ｘ')).toBe('110***********002X');
  });

  test('numbers side by side are each masked, whatever is between them', () => {
    expect(maskText('123456 13800000002')).toBe('****** 138****0002');
    expect(maskText('010 993 138 0000 0002')).toBe('****** 138****0002');
    expect(maskText('138 0000 0002 77')).toBe('138****0002 77');
    expect(maskText('13800000002-13800000003')).toBe('138****0002-138****0003');
  });

  test('dates and ranges with dashes are not codes', () => {
    expect(maskText('2026-11-26 前')).toBe('2026-11-26 前');
    expect(maskText('100-200 元')).toBe('100-200 元');
  });

  test('masking twice changes nothing more', () => {
    const once = maskText('手机 138 0000 0002，验证码 010 993，身份证 11010519491231002X');
    expect(maskText(once)).toBe(once);
  });

  test('a known number shown masked; anything else given as one is masked as text', () => {
    expect(maskPhone('13800000002')).toBe('138****0002');
    expect(maskPhone('138 0000 0002')).toBe('138****0002');
  });
});

/**
 * Numbers typed in ways no flow accepts but anybody can read back: masking sees through
 * them all (the reader's lenient mode), and the flows still do not take them as answers.
 */
describe('every readable way of typing a number is masked', () => {
  test.each(HOSTILE_FORMS.map((form) => [form.name, form.typed, form.masked]))('%s: %j', (_name, typed, kept) => {
    expect(maskText(`我的号码是 ${typed} 谢谢`)).toBe(`我的号码是 ${kept} 谢谢`);
    expect(maskText(`号码${typed}`)).toBe(`号码${kept}`);
    expect(maskText(maskText(typed))).toBe(kept);
  });

  test('a number the flows accept is not changed by the lenient reading: same numbers, same places', () => {
    expect(typedNumbers('一三八零零零零零零零二')).toEqual([]);
    expect(typedNumbers('138.0000.0002')).toEqual([]);
    expect(typedNumbers('6217 0000 1234 5678')).toEqual([]);
    expect(readMobile('我的号码是 ١٣٨٠٠٠٠٠٠٠٢')).toBeUndefined();
  });

  test('what the flows read is masked even beside a character only masking takes for a digit', () => {
    expect(maskText('验证码802560٣')).toBe('验证码******٣');
    expect(maskText('一13800000002')).toBe('一138****0002');
    expect(typedNumbers('一13800000002')).toEqual([{ kind: 'mobile', digits: '13800000002', countryCode: '' }]);
  });

  test.each(ORDINARY_TEXT)('ordinary text is kept as typed: %j', (text) => {
    expect(maskText(text)).toBe(text);
  });

  test('a card number shows only its last four digits, as a mask render.ts keeps literal', () => {
    expect(maskText('卡尾号是6217 0000 1234 5678')).toBe('卡尾号是**** **** **** 5678');
    expect(maskText('卡号 6217000012345670，手机 13800000002')).toBe('卡号 **** **** **** 5670，手机 138****0002');
    // Sixteen digits that are neither Luhn-valid nor printed in fours: an order number.
    expect(maskText('订单 2023100100012345')).toBe('订单 2023100100012345');
  });
});

test('errors reach the log masked, causes included: their text may quote what a user typed', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const cause = new SyntaxError('Unexpected token, "我的号码 138 0000 0002 验证码 ０１０９９２" is not valid JSON');
  logger.error({ err: new Error('request failed: 13800000003', { cause }) }, 'direct line request failed');
  const log = lines.join('');
  expect(log).toContain('138****0002');
  expect(log).toContain('138****0003');
  expect(log).not.toMatch(/138 0000 0002|13800000003|０１０９９２|010992/);
});
