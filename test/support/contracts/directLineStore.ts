import type { Activity } from 'botbuilder';
import { MAX_ACTIVITIES_PER_CONVERSATION, type ActivitySet, type DirectLineConversation, type DirectLineStore } from '../../../bot/channels/directline/store';
import { until } from '../until';
import { twoInstances, type Backend } from './backend';

/** The lifetimes and caps a contract's backends are built with. */
export const DIRECT_LINE_CONTRACT = {
  /** Short enough for Redis, which expires keys on its own clock, to be waited out. */
  ttl: { engagedS: 3600, anonymousS: 1 },
  caps: { conversationBytes: 100, totalBytes: 150 },
};

/**
 * What every DirectLineStore promises (bot/channels/directline/store.ts): a client that comes
 * back with a watermark gets exactly what it missed, on any instance; new activities reach
 * the streams of every instance; uploads stay within their quotas; idle conversations go.
 */
export function directLineStoreContract(makeBackend: () => Backend<DirectLineStore>): void {
  let backend: Backend<DirectLineStore>;
  beforeEach(() => {
    backend = makeBackend();
  });

  const conversation = (id: string): DirectLineConversation => ({ id, userId: `dl_${id}`, createdAt: '2026-11-22T02:00:00.000Z' });
  const fromUser = (text: string): Partial<Activity> => ({ type: 'message', text, from: { id: 'dl_u', name: '', role: 'user' } });
  const fromBot = (text: string): Partial<Activity> => ({ type: 'message', text, from: { id: 'bot', name: '客服', role: 'bot' } });
  const texts = (set: ActivitySet) => set.activities.map((a) => a.text);

  test('a conversation is created once, whichever instance is asked', async () => {
    const [a, b] = await twoInstances(backend);
    expect(await a.create(conversation('c1'))).toBe(true);
    expect(await b.create({ ...conversation('c1'), userId: 'someone-else' })).toBe(false);
    expect(await b.get('c1')).toEqual(conversation('c1'));
    expect(await a.get('unknown')).toBeUndefined();
  });

  test('what the store hands out is a copy: a caller changing it changes nothing stored', async () => {
    const store = await backend.instance();
    const created = conversation('c1');
    await store.create(created);
    created.userId = 'changed-after-create';
    (await store.get('c1'))!.userId = 'changed-after-get';
    const appended = await store.append('c1', fromUser('原话'));
    appended.text = 'changed-after-append';
    (await store.since('c1', undefined)).activities[0]!.text = 'changed-after-read';
    expect(await store.get('c1')).toEqual(conversation('c1'));
    expect(texts(await store.since('c1', undefined))).toEqual(['原话']);
  });

  test('activities get their position as id; a watermark gives exactly what came after it, on any instance', async () => {
    const [a, b] = await twoInstances(backend);
    await a.create(conversation('c1'));
    const first = await a.append('c1', fromUser('一'));
    expect(first).toEqual({ ...fromUser('一'), id: 'c1|0000000' });
    expect((await b.append('c1', { ...fromBot('二'), id: 'chosen-by-the-caller' })).id).toBe('c1|0000001');
    await a.append('c1', fromUser('三'));
    expect(await b.since('c1', undefined)).toEqual({ activities: [first, { ...fromBot('二'), id: 'c1|0000001' }, { ...fromUser('三'), id: 'c1|0000002' }], watermark: '3' });
    expect(texts(await a.since('c1', '1'))).toEqual(['二', '三']);
    expect(await a.since('c1', '3')).toEqual({ activities: [], watermark: '3' });
    expect(texts(await b.since('c1', 'not-a-watermark'))).toEqual(['一', '二', '三']);
    expect(await b.since('unknown', undefined)).toEqual({ activities: [], watermark: '0' });
    await expect(a.append('unknown', fromUser('四'))).rejects.toThrow();
  });

  test(`a conversation keeps its newest ${MAX_ACTIVITIES_PER_CONVERSATION} activities; watermarks still count from the start`, async () => {
    const store = await backend.instance();
    await store.create(conversation('c1'));
    for (let i = 0; i < MAX_ACTIVITIES_PER_CONVERSATION + 5; i++) await store.append('c1', fromBot(String(i)));
    const all = await store.since('c1', undefined);
    expect(all.activities).toHaveLength(MAX_ACTIVITIES_PER_CONVERSATION);
    expect(all.activities[0]).toEqual({ ...fromBot('5'), id: 'c1|0000005' });
    expect(all.watermark).toBe(String(MAX_ACTIVITIES_PER_CONVERSATION + 5));
    expect(texts(await store.since('c1', String(MAX_ACTIVITIES_PER_CONVERSATION + 3)))).toEqual([String(MAX_ACTIVITIES_PER_CONVERSATION + 3), String(MAX_ACTIVITIES_PER_CONVERSATION + 4)]);
  });

  test("a new activity reaches the conversation's listeners on every instance; one unsubscribed hears no more", async () => {
    const [a, b] = await twoInstances(backend);
    await a.create(conversation('c1'));
    await a.create(conversation('c2'));
    const heard: ActivitySet[] = [];
    const leaving: ActivitySet[] = [];
    b.subscribe('c1', (set) => heard.push(set));
    const unsubscribe = b.subscribe('c1', (set) => leaving.push(set));
    await a.append('c2', fromBot('别的对话'));
    const stored = await a.append('c1', fromUser('一'));
    await until(async () => heard.length === 1 && leaving.length === 1);
    expect(heard).toEqual([{ activities: [stored], watermark: '1' }]);
    unsubscribe();
    await a.append('c1', fromBot('二'));
    // Activities arrive in order: once the second has reached B, the unsubscribed listener had its chance.
    await until(async () => heard.length === 2);
    expect(texts(heard[1]!)).toEqual(['二']);
    expect(leaving).toHaveLength(1);
  });

  test('a file is kept within its conversation quota and read back as stored', async () => {
    const [a, b] = await twoInstances(backend);
    await a.create(conversation('c1'));
    await a.append('c1', fromUser('发文件'));
    const file = { contentType: 'image/png', name: '截图.png', data: Buffer.alloc(60, 7), sniffed: true };
    expect(await a.putAttachment('c1', 'f1', file)).toBe(true);
    expect(await b.getAttachment('f1')).toEqual(expect.objectContaining(file));
    // 60 + 60 would pass the quota of 100: refused, and nothing kept.
    expect(await b.putAttachment('c1', 'f2', { ...file, sniffed: false })).toBe(false);
    expect(await a.getAttachment('f2')).toBeUndefined();
    expect(await a.putAttachment('c1', 'f3', { ...file, data: Buffer.alloc(40) })).toBe(true);
    expect(await a.getAttachment('unknown')).toBeUndefined();
  });

  test('past the overall cap the oldest files go first', async () => {
    const [a, b] = await twoInstances(backend);
    for (const id of ['c1', 'c2']) {
      await a.create(conversation(id));
      await a.append(id, fromUser('发文件'));
    }
    const file = (n: number) => ({ contentType: 'application/pdf', name: `${n}.pdf`, data: Buffer.alloc(80, n), sniffed: true });
    expect(await a.putAttachment('c1', 'old', file(1))).toBe(true);
    // Redis orders files by the time they were kept, on its own clock.
    await backend.elapse(20);
    expect(await b.putAttachment('c2', 'new', file(2))).toBe(true);
    expect(await a.getAttachment('old')).toBeUndefined();
    expect(await a.getAttachment('new')).toEqual(expect.objectContaining(file(2)));
  });

  test('a conversation nobody wrote in goes after the short lifetime; one the user wrote in stays', async () => {
    const [a, b] = await twoInstances(backend);
    await a.create(conversation('idle'));
    await a.append('idle', fromBot('您好'));
    await a.create(conversation('engaged'));
    await b.append('engaged', fromBot('您好'));
    await b.append('engaged', fromUser('你好'));
    await backend.elapse(DIRECT_LINE_CONTRACT.ttl.anonymousS * 1000 + 200);
    expect(await b.get('idle')).toBeUndefined();
    expect(await b.since('idle', undefined)).toEqual({ activities: [], watermark: '0' });
    await expect(b.append('idle', fromUser('还在吗'))).rejects.toThrow();
    expect(await a.get('engaged')).toEqual(conversation('engaged'));
    expect(texts(await a.since('engaged', undefined))).toEqual(['您好', '你好']);
  });
}
