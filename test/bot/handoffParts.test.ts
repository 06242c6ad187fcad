import crypto from 'node:crypto';
import { AgentDirectory, agentsFileSchema, DEMO_AGENTS_FILE, hashPassword, verifyPassword } from '../../bot/handoff/agents';
import { loadCannedReplies } from '../../bot/handoff/cannedReplies';
import { ConfigError, loadConfig } from '../../bot/config';
import { estimatedWaitMinutes, queueOrder } from '../../bot/handoff/queue';
import { describeSchedule, isOpen, parseSchedule } from '../../bot/handoff/schedule';
import { AgentSessions } from '../../bot/handoff/sessions';
import { MemoryAgentSessionStore } from '../../bot/storage/memory/sessionStore';
import type { Handoff } from '../../domain/handoff';

describe('business hours', () => {
  const hours = parseSchedule('mon-fri 09:00-21:00; sat,sun 10:00-18:00', 'Asia/Shanghai');

  test('open and closed, in the schedule\'s time zone', () => {
    // Monday 23 Nov 2026 08:59 and 09:00 in Shanghai (00:59 / 01:00 UTC).
    expect(isOpen(hours, new Date('2026-11-23T00:59:00Z'))).toBe(false);
    expect(isOpen(hours, new Date('2026-11-23T01:00:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2026-11-23T13:00:00Z'))).toBe(false); // 21:00, end exclusive
    expect(isOpen(hours, new Date('2026-11-22T03:00:00Z'))).toBe(true); // Sunday 11:00
    expect(isOpen(parseSchedule('24/7', 'UTC'), new Date())).toBe(true);
  });

  test('said the way people read it, with the time zone they are in', () => {
    expect(describeSchedule(hours, 'zh-CN')).toBe('北京时间周一至周五 09:00–21:00；周六、周日 10:00–18:00');
    expect(describeSchedule(hours, 'en-US')).toBe('Monday to Friday 09:00–21:00; Saturday and Sunday 10:00–18:00 (Beijing time)');
    expect(describeSchedule(parseSchedule('7x24', 'UTC'), 'zh-CN')).toBe('7×24 小时');
    expect(describeSchedule(parseSchedule('24/7', 'Asia/Shanghai'), 'en-US')).toBe('24/7');
  });

  test('every day, gaps in the week and zones other than Beijing time', () => {
    const daily = parseSchedule('mon-sun 08:00-24:00', 'Asia/Shanghai');
    expect(describeSchedule(daily, 'zh-CN')).toBe('北京时间每天 08:00–24:00');
    expect(describeSchedule(daily, 'en-US')).toBe('every day 08:00–24:00 (Beijing time)');
    // Written in any order: ranges of three days or more, the rest one by one, Monday first.
    const gaps = parseSchedule('sat,mon-wed,fri 09:30-17:00', 'UTC');
    expect(describeSchedule(gaps, 'zh-CN')).toBe('UTC 周一至周三、周五、周六 09:30–17:00');
    expect(describeSchedule(gaps, 'en-US')).toBe('Monday to Wednesday, Friday and Saturday 09:30–17:00 (UTC)');
    const london = parseSchedule('mon 09:00-12:00; thu 13:00-18:00', 'Europe/London');
    expect(describeSchedule(london, 'zh-CN')).toBe('英国时间周一 09:00–12:00；周四 13:00–18:00');
    expect(describeSchedule(london, 'en-US')).toBe('Monday 09:00–12:00; Thursday 13:00–18:00 (United Kingdom Time)');
  });

  test('a bad schedule is one line of configuration error', () => {
    expect(() => loadConfig({ HANDOFF_HOURS: 'weekdays 9-5' })).toThrow(ConfigError);
    expect(() => loadConfig({ HANDOFF_HOURS: 'weekdays 9-5' })).toThrow('HANDOFF_HOURS="weekdays 9-5" — "weekdays 9-5" should look like "mon-fri 09:00-21:00"');
    expect(() => loadConfig({ HANDOFF_HOURS: 'mon 18:00-09:00' })).toThrow('ends before it starts');
    expect(() => loadConfig({ HANDOFF_HOURS: 'mon 09:00-18:00', HANDOFF_TIMEZONE: 'Mars/Olympus' })).toThrow('unknown time zone');
  });
});

test('queue order: security escalations first, then arrival; waits from agents and handle times', () => {
  const h = (id: string, priority: 'normal' | 'high', createdAt: number): Handoff => ({
    id, conversation: id, channel: 'x', locale: 'zh-CN', status: 'queued', priority, createdAt, context: { reason: 'user-request', misses: [] },
  });
  expect(queueOrder([h('a', 'normal', 1), h('b', 'high', 3), h('c', 'normal', 2)]).map((x) => x.id)).toEqual(['b', 'a', 'c']);
  expect(estimatedWaitMinutes(3, 1, [], 300_000)).toBe(15);
  expect(estimatedWaitMinutes(3, 2, [], 300_000)).toBe(10);
  expect(estimatedWaitMinutes(1, 1, [60_000, 180_000], 300_000)).toBe(2);
  expect(estimatedWaitMinutes(1, 1, [1000], 300_000)).toBe(1);
});

test('passwords: scrypt hashes verify the right password only; the demo agents load', async () => {
  const hash = await hashPassword('correct horse battery');
  expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
  expect(hash).not.toContain('correct');
  expect(await verifyPassword('correct horse battery', hash)).toBe(true);
  expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  const demo = AgentDirectory.fromFile(DEMO_AGENTS_FILE);
  expect(await demo.authenticate('WANG', 'kefu-demo-wang')).toEqual({ id: 'wang', name: '小王', role: 'agent' });
  expect(await demo.authenticate('lin', 'kefu-demo-lin')).toEqual({ id: 'lin', name: '林组长', role: 'lead' });
  expect(await demo.authenticate('wang', 'kefu-demo-alice')).toBeUndefined();
  expect(await demo.authenticate('nobody', 'kefu-demo-wang')).toBeUndefined();
  expect(loadCannedReplies('bot/handoff/cannedReplies.yaml').map((c) => c.shortcut)).toContain('hello');
});

test('agents map to Teams accounts by Entra object id (any case); one account for two agents is refused', () => {
  const hash = 'scrypt$16384$8$1$xiRGpw5BLsuUshag_t66GQ$Ka8hJmcjh-7YflydA5soETXMDfHEAAcyx62Lr_FaSp8';
  const aad = '6B1A2C3D-0000-4000-8000-00000000A001';
  const parsed = agentsFileSchema.parse({ agents: [{ id: 'wang', name: '小王', passwordHash: hash, teamsAadObjectId: aad }, { id: 'alice', name: 'Alice', passwordHash: hash }] });
  const directory = new AgentDirectory(parsed.agents);
  // A file written before roles existed: everyone in it is an agent.
  expect(directory.byTeamsUser(aad.toLowerCase())).toEqual({ id: 'wang', name: '小王', role: 'agent' });
  expect(directory.byTeamsUser('6b1a2c3d-0000-4000-8000-00000000ffff')).toBeUndefined();
  expect(directory.byTeamsUser(undefined)).toBeUndefined();
  expect(directory.byTeamsUser('')).toBeUndefined();
  const twice = agentsFileSchema.safeParse({ agents: [{ id: 'wang', name: '小王', passwordHash: hash, teamsAadObjectId: aad }, { id: 'alice', name: 'Alice', passwordHash: hash, teamsAadObjectId: aad.toLowerCase() }] });
  expect(twice.success ? undefined : twice.error.issues[0]?.message).toBe('the same Teams account is given to two agents');
  expect(agentsFileSchema.safeParse({ agents: [{ id: 'wang', name: '小王', passwordHash: hash, teamsAadObjectId: 'wang@contoso.com' }] }).success).toBe(false);
  expect(agentsFileSchema.safeParse({ agents: [{ id: 'wang', name: '小王', passwordHash: hash, role: 'admin' }] }).success).toBe(false);
  expect(agentsFileSchema.parse({ agents: [{ id: 'lin', name: '林', passwordHash: hash, role: 'lead' }] }).agents[0]?.role).toBe('lead');
});

test('agent sessions expire, and only the token\'s hash is stored', async () => {
  const clock = { ms: 0 };
  const store = new MemoryAgentSessionStore(() => clock.ms);
  const sessions = new AgentSessions(store, 8 * 3600_000);
  const token = await sessions.open({ id: 'wang', name: '小王', role: 'lead' });
  expect(await store.get(token)).toBeUndefined();
  expect(await sessions.agentOf(token)).toEqual({ id: 'wang', name: '小王', role: 'lead' });
  // A session stored before roles existed is an agent's.
  await store.put(crypto.createHash('sha256').update('legacy-token').digest('base64url'), { id: 'alice', name: 'Alice' }, 3600_000);
  expect(await sessions.agentOf('legacy-token')).toEqual({ id: 'alice', name: 'Alice', role: 'agent' });
  clock.ms += 8 * 3600_000 - 1;
  expect(await sessions.agentOf(token)).toBeDefined();
  clock.ms += 1;
  expect(await sessions.agentOf(token)).toBeUndefined();
  expect(await sessions.agentOf('forged')).toBeUndefined();
});
