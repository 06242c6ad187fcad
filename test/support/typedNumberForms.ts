/**
 * Readable ways of typing a mobile, ID, card number or code that no flow accepts, each with
 * what masking must leave of it; and ordinary text that holds digits but no such number,
 * which masking must leave as it is. Shared by the unit table (test/bot/mask.test.ts) and
 * the hostile test against a real process (test/hostile/masking.test.ts).
 */

/** The digits of a number, one `map` entry a digit. */
const each = (digits: string, map: (digit: number) => string) => [...digits].map((d) => map(Number(d))).join('');
const fromZero = (zero: number) => (d: number) => String.fromCodePoint(zero + d);
const CHINESE = '零一二三四五六七八九';
const FINANCIAL = '零壹贰叁肆伍陆柒捌玖';

export interface HostileForm {
  name: string;
  typed: string;
  /** What may be kept of it. */
  masked: string;
}

const MOBILE = '13800000002';
const MOBILE_MASKED = '138****0002';
/** A mobile number without a zero, for forms that have no zero (⑴ ⒈ ❶ start at one). */
const NO_ZERO = '13912345678';
const NO_ZERO_MASKED = '139****5678';
const ID = '11010519491231002X';
const ID_MASKED = '110***********002X';

export const HOSTILE_FORMS: HostileForm[] = [
  { name: 'Chinese numerals', typed: each(MOBILE, (d) => CHINESE[d]!), masked: MOBILE_MASKED },
  { name: 'financial numerals', typed: each(MOBILE, (d) => FINANCIAL[d]!), masked: MOBILE_MASKED },
  { name: '幺 for 1, 〇 for 0, 两 for 2', typed: '幺三八〇〇〇〇〇〇〇两', masked: MOBILE_MASKED },
  { name: 'Chinese numerals and ASCII digits mixed', typed: '138零零零零0002', masked: MOBILE_MASKED },
  { name: 'parenthesised digits', typed: each(NO_ZERO, fromZero(0x2473)), masked: NO_ZERO_MASKED },
  { name: 'digits with a full stop', typed: each(NO_ZERO, fromZero(0x2487)), masked: NO_ZERO_MASKED },
  { name: 'dingbat circled digits', typed: each(NO_ZERO, fromZero(0x2775)), masked: NO_ZERO_MASKED },
  { name: 'Arabic-Indic digits', typed: each(MOBILE, fromZero(0x0660)), masked: MOBILE_MASKED },
  { name: 'Persian digits', typed: each(MOBILE, fromZero(0x06f0)), masked: MOBILE_MASKED },
  { name: 'Devanagari digits', typed: each(MOBILE, fromZero(0x0966)), masked: MOBILE_MASKED },
  { name: 'Thai digits', typed: each(MOBILE, fromZero(0x0e50)), masked: MOBILE_MASKED },
  { name: 'split by emoji', typed: '138😀0000😀0002', masked: MOBILE_MASKED },
  { name: 'keycap emoji', typed: each(MOBILE, (d) => `${d}\ufe0f\u20e3`), masked: MOBILE_MASKED },
  { name: 'split by dots', typed: '138.0000.0002', masked: MOBILE_MASKED },
  { name: 'split by slashes', typed: '138/0000/0002', masked: MOBILE_MASKED },
  { name: 'split by underscores', typed: '138_0000_0002', masked: MOBILE_MASKED },
  { name: 'split by full-width commas', typed: '138，0000，0002', masked: MOBILE_MASKED },
  { name: 'split by letters', typed: '138abc0000xyz0002', masked: MOBILE_MASKED },
  { name: 'combining marks', typed: each(MOBILE, (d) => `${d}\u0336`), masked: MOBILE_MASKED },
  { name: 'variation selectors', typed: each(MOBILE, (d) => `${d}\ufe0e`), masked: MOBILE_MASKED },
  { name: 'brackets and a dash', typed: '(138)0000-0002', masked: '(138****0002' },
  { name: 'ID number in Chinese numerals', typed: `${each(ID.slice(0, 17), (d) => '〇一二三四五六七八九'[d]!)}X`, masked: ID_MASKED },
  { name: 'ID number split by dots', typed: '110105.19491231.002X', masked: ID_MASKED },
  { name: 'code in Chinese numerals', typed: '八零二五六零', masked: '******' },
  { name: 'code split by emoji', typed: '8🔥0🔥2🔥5🔥6🔥0', masked: '******' },
  { name: 'code in Arabic-Indic digits', typed: each('802560', fromZero(0x0660)), masked: '******' },
  { name: 'card in groups of four', typed: '6217 0000 1234 5678', masked: '**** **** **** 5678' },
  { name: 'card, Luhn-valid, unspaced', typed: '6217000012345670', masked: '**** **** **** 5670' },
  { name: 'card of 19 digits, dashed', typed: '6222-0212-3456-7890-128', masked: '**** **** **** 0128' },
  { name: 'card full-width', typed: each('6214830123456781', fromZero(0xff10)), masked: '**** **** **** 6781' },
  { name: 'card in Chinese numerals', typed: each('6214830123456781', (d) => CHINESE[d]!), masked: '**** **** **** 6781' },
  { name: 'card split by emoji', typed: '6214💳8301💳2345💳6781', masked: '**** **** **** 6781' },
];

/** Text with digits in it that is no number to hide: it must be kept exactly as typed. */
export const ORDINARY_TEXT: string[] = [
  '这笔付了 1380.00元',
  '余额 ￥2,000',
  '共 12 件，合计 ¥ 1,299.00',
  '第 2 期还款 1,380.50 元',
  '2026-11-26 前',
  '2026.11.26',
  '2026/11/26',
  '二〇二六年十一月',
  '2026年11月26日 14时30分',
  '下午 14:30 到 17:45',
  '2026-11-26 14:30:00',
  '13:00-17:30',
  '申诉号 AP-20261123-7K3Q',
  '工单 T-20261123-2345',
  '我的申诉 ap 20261123 7k3q 怎么样了',
  '版本 8.12.0',
  'app v10.2.13-beta',
  '我下了 3 笔订单',
  '订单 12 个，退款 2 个',
  '三天',
  '十五个工作日',
  '一一对应',
  '零钱提现',
  '五六个人',
  '利率 3.5%',
  '100% 到账',
  '订单号 12800000002',
  'iPhone 15 Pro Max 256GB',
  'Windows 10',
  '我等了 1505 分钟',
  'I paid 1,380.00 on 2026/11/26 at 14:30',
  'at 2026-11-26T14:30:00.123Z',
  '2026-11-26 14:30:00.123',
  'request c0a8f1e2-3b4d-4e5f-8a9b-0c1d2e3f4a5b failed',
  '可用额度 13,800.00 元，已用 2,380.50 元',
  '2026年第3季度',
  '比例 1.6, 1.5, 3.2, 1.55, 1.58',
  '比例 1.6，1.5，3.2，1.55，1.58',
  '127.0.0.1 和 127.255.255.254',
  '00000000-0000-0000-0000-000000000001',
  '5f0c2e9a-7d41-4c1b-9a57-2b1f3c8d9e10',
  'sha 3f9a1c8e2b7d4a6f0e5c9b1d8a2f7e3c',
  '0, 0, 0, 0, 2000, 4000, 8000, 16000, 32000, 60000',
  '1,2,3,4,5,6,7,8,9,10,11,12,13',
];
