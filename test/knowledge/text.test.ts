import { canonicalize, detectLocale, normalize, tokenize } from '../../knowledge/text';
import { detectIntent } from '../../knowledge/intents';

describe('text normalization', () => {
  test('full-width letters, digits and punctuation become half-width; case and spaces fold', () => {
    expect(normalize('ＡＰＰ里　换手机号？１２３')).toBe('app里 换手机号 123');
    expect(normalize('  Unlock   MY account!!! ')).toBe('unlock my account');
  });

  test('invisible format characters (zero-width, BOM, soft hyphen, bidi marks) are dropped, not turned into spaces', () => {
    expect(normalize('帮\u200b我\u200d解\ufeff锁')).toBe('帮我解锁');
    expect(normalize('un\u00adlock my\u200e account\u2069')).toBe('unlock my account');
    expect(tokenize('解\u200c锁', 'zh-CN')).toEqual(tokenize('解锁', 'zh-CN'));
    expect(detectIntent('帮\u200b我\u200d解\ufeff锁', 'zh-CN')).toEqual(detectIntent('帮我解锁', 'zh-CN'));
    expect(detectIntent('帮\u200b我\u200d解\ufeff锁', 'zh-CN')).toEqual({ kind: 'flow', flow: 'unlock' });
  });

  test('domain synonyms fold to one spelling', () => {
    expect(canonicalize('怎么解封帐号', 'zh-CN')).toBe('怎么解锁账户');
    expect(canonicalize('手机号码换了', 'zh-CN')).toBe('手机号换了');
    expect(canonicalize('账号被冻结了', 'zh-CN')).toBe('账户被锁定了');
    expect(canonicalize('my acct is frozen', 'en-US')).toBe('my account is lock');
    // Chinese synonyms do not leak into English text.
    expect(canonicalize('sms code', 'en-US')).toBe('code');
    expect(canonicalize('sms code收不到', 'zh-CN')).toBe('验证码收不到');
  });

  test('Chinese gives character unigrams and bigrams; English gives stemmed words without stop words', () => {
    expect(tokenize('解锁账户', 'zh-CN')).toEqual(['解', '解锁', '锁', '锁账', '账', '账户', '户']);
    expect(tokenize('How do I unlock my accounts', 'en-US')).toEqual(['how', 'unlock', 'account']);
  });

  test('locale comes from the script of the text when it tells', () => {
    expect(detectLocale('账户被锁了')).toBe('zh-CN');
    expect(detectLocale('my account is locked')).toBe('en-US');
    expect(detectLocale('app 打不开')).toBe('zh-CN');
    expect(detectLocale('ok')).toBeUndefined();
    expect(detectLocale('123')).toBeUndefined();
  });
});
