import { startKefu } from '../support/kefuServer';

/**
 * A channel that names no language (a bare Bot Framework client) gets the deployment's
 * DEFAULT_LOCALE everywhere, also in the sentences said before a turn runs.
 */
test('with DEFAULT_LOCALE=en-US and no channel locale, the slow-down sentence is English like the answers', async () => {
  const kefu = await startKefu({ DEFAULT_LOCALE: 'en-US', RATE_LIMIT_MESSAGES: '1', RATE_LIMIT_WINDOW_S: '60' });
  try {
    const [answer] = await kefu.channel.ask('bare-1', 'ok', { locale: undefined });
    expect(answer?.text).not.toMatch(/[\u4e00-\u9fff]/);
    const [slow] = await kefu.channel.ask('bare-1', 'ok', { locale: undefined });
    expect(slow?.text).toContain('a little fast');
  } finally {
    await kefu.stop();
  }
});
