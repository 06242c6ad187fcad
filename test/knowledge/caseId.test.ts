import { mentionsCaseId, readCaseId } from '../../knowledge/caseId';

describe('case ids as users type them', () => {
  test.each([
    ['AP-20261123-7K3Q', 'AP-20261123-7K3Q'],
    ['查一下申诉 AP-20261123-7K3Q 的进度', 'AP-20261123-7K3Q'],
    ['我的申诉AP-20261123-7K3Q怎么样了', 'AP-20261123-7K3Q'],
    ["what's the status of appeal ap-20261123-7k3q?", 'AP-20261123-7K3Q'],
    ['案件号 ＡＰ－２０２６１１２３－７ｋ３ｑ', 'AP-20261123-7K3Q'],
    ['AP - 20261123 - 7K3Q', 'AP-20261123-7K3Q'],
    ['AP—20261123–7K3Q', 'AP-20261123-7K3Q'],
    ['AP2026112\u200b37K3Q', 'AP-20261123-7K3Q'],
    ['ap 20261123 7k3q 有结果了吗', 'AP-20261123-7K3Q'],
  ])('%s → %s', (text, id) => {
    expect(readCaseId(text)).toBe(id);
    expect(mentionsCaseId(text)).toBe(true);
  });

  test.each(['AP-2026112-7K3Q', 'AP-20261123-7K3', 'AP-20261123-7K3QX', 'XAP-20261123-7K3Q', 'T-20261123-7K3Q', '我的app打不开'])('%s is no whole case id', (text) => {
    expect(readCaseId(text)).toBeUndefined();
  });

  test('a mistyped case id is still an attempt at one; app names and plain numbers are not', () => {
    expect(mentionsCaseId('查一下 AP-2026112-7K3Q')).toBe(true);
    expect(mentionsCaseId('app 20261123 打不开')).toBe(false);
    expect(mentionsCaseId('13800000005 申诉进度')).toBe(false);
    expect(mentionsCaseId('申诉进度怎么样了')).toBe(false);
  });
});
