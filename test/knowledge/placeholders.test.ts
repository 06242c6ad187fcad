import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerValuesOf } from '../../bot/answerValues';
import { loadConfig } from '../../bot/config';
import { main } from '../../bot/kb/cli';
import { checkKnowledgeBase } from '../../knowledge/loader';
import { ANSWER_PLACEHOLDERS, renderAnswer, unknownPlaceholders, type AnswerValues } from '../../knowledge/placeholders';
import { isFaq } from '../../knowledge/schema';
import { realKnowledge } from '../support/knowledge';

const VALUES: AnswerValues = {
  supportHours: '北京时间周一至周五 09:00–18:00',
  uploadLimit: '4 MB',
  menuAccountSecurity: '“我”→“账户安全”',
  menuBindPhone: '“绑定手机号”',
  menuChangePhone: '“更换手机号”',
};

describe('renderAnswer', () => {
  test('fills every placeholder, as often as it appears', () => {
    expect(renderAnswer('进入{menuAccountSecurity}，选择{menuChangePhone}；服务时间：{supportHours}。{supportHours}', VALUES)).toBe(
      '进入“我”→“账户安全”，选择“更换手机号”；服务时间：北京时间周一至周五 09:00–18:00。北京时间周一至周五 09:00–18:00',
    );
    expect(renderAnswer('文件最多 {uploadLimit}', VALUES)).toBe('文件最多 4 MB');
  });

  test('a value is shown as it is: never expanded again, no replacement patterns', () => {
    const tricky = { ...VALUES, supportHours: '{menuBindPhone} $& $1 $$', menuBindPhone: 'X' };
    expect(renderAnswer('时间：{supportHours}', tricky)).toBe('时间：{menuBindPhone} $& $1 $$');
  });

  test('text that is no placeholder is left alone', () => {
    expect(renderAnswer('{ supportHours } {1abc} {toString} {}', VALUES)).toBe('{ supportHours } {1abc} {toString} {}');
  });

  test('unknown names are found once each; inherited object keys are not placeholders', () => {
    expect(unknownPlaceholders('{supportHour} {appNmae} {supportHour} {supportHours} {constructor}')).toEqual(['supportHour', 'appNmae', 'constructor']);
    expect(unknownPlaceholders(ANSWER_PLACEHOLDERS.map((p) => `{${p}}`).join(' '))).toEqual([]);
  });
});

describe('placeholders in the knowledge files', () => {
  function tempKb(answer: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-kb-'));
    fs.mkdirSync(path.join(dir, 'zh-CN'));
    fs.writeFileSync(
      path.join(dir, 'zh-CN', 'hours.yaml'),
      `- id: hours-typo\n  locale: zh-CN\n  question: 客服几点上班\n  alternates: [人工服务时间]\n  answer: "${answer}"\n`,
    );
    return dir;
  }

  async function kb(env: Record<string, string>, ...args: string[]) {
    const out: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    try {
      return { code: await main(args, { KB_SIGNALS_FILE: '', ...env }), out: out.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  test('an unknown placeholder is a problem kb check reports with file, entry and field', async () => {
    const dir = tempKb('服务时间：{supportHour}');
    expect(checkKnowledgeBase(dir).problems).toEqual([
      expect.objectContaining({ file: expect.stringContaining('hours.yaml'), entryId: 'hours-typo', field: 'answer', reason: expect.stringContaining('{supportHour} is not a placeholder') }),
    ]);
    const checked = await kb({ KB_DIR: dir }, 'check');
    expect(checked.code).toBe(1);
    expect(checked.out).toContain('{supportHour} is not a placeholder (known: {supportHours}');
    expect((await kb({ KB_DIR: tempKb('服务时间：{supportHours}') }, 'check')).code).toBe(0);
  });

  test('every shipped answer renders without braces left, in both languages', () => {
    const values = answerValuesOf(loadConfig({}));
    for (const entry of realKnowledge().kb.entries.filter(isFaq)) {
      expect(renderAnswer(entry.answer, values[entry.locale])).not.toMatch(/[{}]/);
    }
  });

  test('kb ask prints the answer as the bot says it, with the configured hours', async () => {
    const asked = await kb({ HANDOFF_HOURS: 'mon-fri 09:00-18:00' }, 'ask', '客服几点上班');
    expect(asked.out).toContain('人工客服的服务时间：北京时间周一至周五 09:00–18:00。');
    expect(asked.out).not.toContain('{supportHours}');
    const english = await kb({}, 'ask', 'When is live support available?', '--locale', 'en-US');
    expect(english.out).toContain('Live agents are available 24/7.');
  });
});
