import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, configSchema } from '../../bot/config';
import { renderConfigTable, renderEnvExample } from '../../bot/configDocs';

describe('configuration', () => {
  test('an empty environment gives the embedded defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3978);
    expect(config.MicrosoftAppId).toBeUndefined();
    expect(config.DEFAULT_LOCALE).toBe('zh-CN');
    expect(path.isAbsolute(config.kbDir)).toBe(true);
    expect(fs.existsSync(config.kbDir)).toBe(true);
  });

  test('empty assignments copied from .env.example mean "default"', () => {
    expect(loadConfig({ PORT: '', MicrosoftAppId: '' }).PORT).toBe(3978);
  });

  test.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT="abc" — expected an integer from 0 to 65535$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT="70000" — expected an integer from 0 to 65535$/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL="loud" — expected one of fatal/],
    [{ KB_ANSWER_THRESHOLD: '2' }, /^Invalid configuration: KB_ANSWER_THRESHOLD="2" — expected a number from 0 to 1$/],
    [{ MicrosoftAppId: 'my-bot' }, /^Invalid configuration: MicrosoftAppId="my-bot" — expected the Azure Bot app id, a GUID$/],
    [{ MicrosoftAppId: '00000000-0000-0000-0000-000000000001' }, /MicrosoftAppPassword is missing/],
    [{ KB_ANSWER_THRESHOLD: '0.2', KB_CLARIFY_THRESHOLD: '0.4' }, /KB_CLARIFY_THRESHOLD=0.4 is above KB_ANSWER_THRESHOLD=0.2/],
  ])('a bad value %j stops start-up with one line naming it', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    expect(text.split('\n')).toHaveLength(1);
  });

  test('.env.example lists every variable with a comment and matches the schema', () => {
    const example = fs.readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
    expect(example).toBe(renderEnvExample());
    for (const [name, field] of Object.entries(configSchema.shape)) {
      expect(field.description).toBeTruthy();
      expect(example).toContain(`\n${name}=`);
    }
  });

  test('the README configuration table is the one the schema generates (npm run config:example)', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(renderConfigTable());
    for (const name of Object.keys(configSchema.shape)) expect(renderConfigTable()).toContain(`| \`${name}\` |`);
  });
});
