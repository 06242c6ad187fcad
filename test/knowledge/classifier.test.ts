import { EntryClassifier, featuresOf, MAX_WEIGHTS, trainClassifier } from '../../knowledge/classifier';

/** The entry classifier learns from phrasings which words tell entries apart. */
const EXAMPLES = [
  { label: 'fee', text: '换手机号要收费吗' },
  { label: 'fee', text: '改号码要钱吗' },
  { label: 'fee', text: '更换手机号有手续费吗' },
  { label: 'card', text: '换了手机号银行卡要重新绑定吗' },
  { label: 'card', text: '号码换了 银行卡还能用吗' },
  { label: 'card', text: '改手机号后要不要重新绑卡' },
  { label: 'oos', text: '今天天气怎么样' },
  { label: 'oos', text: '讲个笑话' },
];

test('a paraphrase no phrasing contains lands on the entry whose words it shares', () => {
  const classifier = trainClassifier(EXAMPLES, 'zh-CN')!;
  expect(classifier.predict('号码改了以后 卡要重新绑吗')[0]?.label).toBe('card');
  expect(classifier.predict('换号码收不收费')[0]?.label).toBe('fee');
  expect(classifier.predict('给我讲个笑话吧')[0]?.label).toBe('oos');
});

test('probabilities sum to one; training is deterministic', () => {
  const a = trainClassifier(EXAMPLES, 'zh-CN')!.predict('银行卡要重新绑吗', 10);
  const b = trainClassifier(EXAMPLES, 'zh-CN')!.predict('银行卡要重新绑吗', 10);
  expect(a).toEqual(b);
  expect(a.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1);
});

test('words it never saw neither help nor dilute: the prediction depends on the known ones only', () => {
  const classifier = trainClassifier(EXAMPLES, 'zh-CN')!;
  expect(classifier.predict('银行卡重新绑定')[0]).toEqual(classifier.predict('银行卡重新绑定 嘤嘤嘤嘤')[0]);
  expect(classifier.predict('嘤嘤嘤')).toEqual([]);
});

test('Chinese features add character trigrams to the index terms', () => {
  expect(featuresOf('银行卡', 'zh-CN')).toEqual(expect.arrayContaining(['银', '银行', '银行卡']));
});

test('no classifier when the weight matrix would be too large', () => {
  const labels = 200;
  const wide = Array.from({ length: labels }, (_, i) => ({ label: `e${i}`, text: Array.from({ length: Math.ceil(MAX_WEIGHTS / labels / 50) }, (_, j) => `w${i}x${j}`).join(' ') }));
  expect(trainClassifier(wide, 'en-US')).toBeUndefined();
  expect(trainClassifier(EXAMPLES, 'zh-CN')).toBeInstanceOf(EntryClassifier);
});

test('no classifier when training would hold up start-up: every label for every example in every epoch', () => {
  const many = Array.from({ length: 1000 }, (_, i) => ({ label: `e${i}`, text: `问题${i}` }));
  expect(trainClassifier(many, 'zh-CN')).toBeUndefined();
});
