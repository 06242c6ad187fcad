import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_AGENTS_FILE } from '../../bot/handoff/agents';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { kefuPair } from '../support/cluster';
import { startKefu } from '../support/kefuServer';

/**
 * Issue 25, item 7: the team's figures are a lead's. An agent's session, on either instance,
 * gets 403 from the supervisor API; no session gets 401; the lead gets the figures. An agents
 * file written before roles existed keeps working, everyone in it an agent.
 */
jest.setTimeout(90_000);

describe.each(['memory', 'redis'])('%s', (kind) => {
  const pair = kefuPair(kind);

  test('the supervisor API: 401 without a session, 403 for an agent on any instance, the figures for the lead', async () => {
    expect((await fetch(`${pair.a.url}/api/agent/supervisor`)).status).toBe(401);
    const wang = await AgentClient.signIn(pair.a.url, ...DEMO_AGENTS.wang);
    const alice = await AgentClient.signIn(pair.b.url, ...DEMO_AGENTS.alice);
    for (const agent of [wang, alice]) {
      const answer = await agent.get('/api/agent/supervisor');
      expect(answer.status).toBe(403);
      expect(JSON.stringify(answer.body)).not.toMatch(/agentsOnline|today/);
      // An agent's own work is not affected.
      expect((await agent.get('/api/agent/board')).status).toBe(200);
      expect((await agent.get<{ agent: { role: string } }>('/api/agent/me')).body.agent.role).toBe('agent');
    }
    const lin = await AgentClient.signIn(pair.b.url, ...DEMO_AGENTS.lin);
    const figures = await lin.get<{ agentsOnline: number }>('/api/agent/supervisor');
    expect(figures.status).toBe(200);
    expect(typeof figures.body.agentsOnline).toBe('number');
    expect((await lin.get<{ agent: { role: string } }>('/api/agent/me')).body.agent.role).toBe('lead');
  });
});

test('an agents file without role keeps working: its agents sign in and take chats, and none of them is a lead', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-old-agents-'));
  const file = path.join(dir, 'agents.yaml');
  // The demo file as it was before roles: no `role` anywhere, and no lead.
  const old = (fs.readFileSync(DEMO_AGENTS_FILE, 'utf8').split('  - id: lin')[0] ?? '').replace(/^#.*\n/gm, '');
  expect(old).not.toContain('role');
  fs.writeFileSync(file, old);
  const kefu = await startKefu({ AGENTS_FILE: file });
  try {
    const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const events = await wang.stream();
    try {
      const [queued] = await kefu.channel.ask('old-file-1', '转人工');
      expect(queued?.text).toContain('排在第');
      const queue = (await wang.get<{ queue: { id: string }[] }>('/api/agent/board')).body.queue;
      expect(queue).toHaveLength(1);
      expect((await wang.post(`/api/agent/chats/${queue[0]!.id}/claim`)).status).toBe(200);
      expect((await wang.get('/api/agent/supervisor')).status).toBe(403);
    } finally {
      events.close();
    }
    expect((await AgentClient.anonymous(kefu.url).signIn(...DEMO_AGENTS.lin)).status).toBe(401);
  } finally {
    await kefu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
