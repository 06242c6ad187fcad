import { learnSpelling } from '../../knowledge/spelling';

const phrasings = [
  'how do i unlock my account',
  'unlock my account please',
  'my account is locked',
  'my account got locked',
  'how to change my phone number',
  'change my phone number',
  'change number',
  'i want to appeal',
  'how do i appeal',
  'appeal a closed account',
  'submit an apeal', // a typo kept on purpose as an alternate
  'permanently closed',
  'permanently closed account',
  'closed permanently',
];
const spelling = learnSpelling(phrasings);

test.each([
  ['how to unlok acount', 'how to unlock account'],
  ['my acount got lokced', 'my account got locked'],
  ['chnage my phone numbr pls', 'change my phone number pls'],
  ['i wanna submit an apeal', 'i wanna submit an appeal'],
  ['permanantly closed', 'permanently closed'],
  ['帮我unlok一下', '帮我unlock一下'],
])('%j reads as %j', (typed, meant) => {
  expect(spelling.correct(typed)).toBe(meant);
});

test.each([
  ['my venmo account is locked'], // a name: no word of ours is a slip away
  ['the code'], // short words have too many neighbours to guess
  ['i forgot my wifi password'],
  ['AP-20261207-AB12 status'],
])('%j stays as typed', (typed) => {
  expect(spelling.correct(typed)).toBe(typed);
});
