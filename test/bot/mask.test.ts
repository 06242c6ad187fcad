import { isMainlandIdNumber, maskCodes, maskSensitive } from '../../bot/privacy/mask';

describe('masking phone and ID numbers', () => {
  test('mainland mobile numbers keep the first 3 and last 4 digits', () => {
    expect(maskSensitive('我的号码是13800000002，帮我看看')).toBe('我的号码是138****0002，帮我看看');
    expect(maskSensitive('15912345678 and 13900000000')).toBe('159****5678 and 139****0000');
  });

  test('numbers that are not mobile numbers are left alone', () => {
    expect(maskSensitive('订单号 12800000002 金额 100')).toBe('订单号 12800000002 金额 100');
    expect(maskSensitive('case 2023100100012345')).toBe('case 2023100100012345');
  });

  test('ID numbers with a valid GB 11643 check digit are masked', () => {
    expect(isMainlandIdNumber('11010519491231002X')).toBe(true);
    expect(isMainlandIdNumber('110105194912310021')).toBe(false);
    expect(maskSensitive('身份证11010519491231002X')).toBe('身份证110***********002X');
    expect(maskSensitive('not an id 110105194912310021')).toBe('not an id 110105194912310021');
  });

  test('six digits standing alone (a code) are hidden; longer numbers are not codes', () => {
    expect(maskCodes('验证码 802560 不对吗')).toBe('验证码 ****** 不对吗');
    expect(maskCodes('13800000002')).toBe('13800000002');
  });
});
