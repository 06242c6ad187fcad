import YAML from 'yaml';
import { nextVersion } from '../../../knowledge/versions/publish';
import { summaryOf, type KbVersion, type VersionFile } from '../../../knowledge/versions/schema';
import { MAX_VERSION_BYTES, VersionTooLargeError, type VersionStore } from '../../../knowledge/versions/store';
import { WITHDRAW_ENTRY } from '../kbDrafts';
import { until } from '../until';
import { twoInstances, type Backend } from './backend';

/** How many versions the stores under contract are made to keep. */
export const VERSIONS_CONTRACT = { kept: 3 };

const files = (answer = '提现到银行卡一般 2 小时内到账。'): VersionFile[] => [
  { path: 'zh-CN/withdraw.yaml', entries: (YAML.parse(WITHDRAW_ENTRY) as VersionFile['entries']).map((entry) => ({ ...entry, answer })) },
];

/** The version after `previous`, as a lead publishing it would make it. */
const after = (previous: KbVersion | undefined, answer?: string): KbVersion =>
  nextVersion(previous, files(answer ?? `第 ${(previous?.number ?? 0) + 1} 版的答案`), { publishedBy: 'lin', message: '更新提现答案' }, new Date(Date.UTC(2026, 11, 1, 2, previous?.number ?? 0)));

/** Versions 1…count, each following the one before. */
export function versions(count: number): KbVersion[] {
  const made: KbVersion[] = [];
  for (let i = 0; i < count; i++) made.push(after(made.at(-1)));
  return made;
}

/**
 * What every VersionStore promises (knowledge/versions/store.ts), whatever keeps it: numbers
 * claimed once over every instance, the newest `kept` kept, the size rule, and a publication
 * heard by the other instances.
 */
export function versionStoreContract(makeBackend: () => Backend<VersionStore>): void {
  let backend: Backend<VersionStore>;
  beforeEach(() => {
    backend = makeBackend();
  });

  test('before the first publication: latest is 0, no version, an empty list', async () => {
    const store = await backend.instance();
    expect(await store.latest()).toBe(0);
    expect(await store.get(1)).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  test('versions put on one instance are read whole on another, listed newest first without their files', async () => {
    const [a, b] = await twoInstances(backend);
    const [v1, v2] = versions(2);
    expect(await a.put(v1!)).toBe(true);
    expect(await a.put(v2!)).toBe(true);
    expect(await b.latest()).toBe(2);
    expect(await b.get(1)).toEqual(v1);
    expect(await b.get(2)).toEqual(v2);
    expect(await b.list()).toEqual([summaryOf(v2!), summaryOf(v1!)]);
  });

  test('a number already taken is refused everywhere: of ten puts of number 1 at once on two instances, one wins', async () => {
    const [a, b] = await twoInstances(backend);
    const rivals = Array.from({ length: 10 }, (_, i) => after(undefined, `第 ${i} 位负责人的答案`));
    const stored = await Promise.all(rivals.map((version, i) => (i % 2 ? a : b).put(version)));
    expect(stored.filter(Boolean)).toHaveLength(1);
    const winner = rivals[stored.indexOf(true)];
    expect(await a.get(1)).toEqual(winner);
    expect(await b.list()).toEqual([summaryOf(winner!)]);
    expect(await a.put(after(undefined, '晚到的一版'))).toBe(false);
  });

  test(`only the newest ${VERSIONS_CONTRACT.kept} versions are kept`, async () => {
    const store = await backend.instance();
    for (const version of versions(5)) expect(await store.put(version)).toBe(true);
    expect((await store.list()).map((v) => v.number)).toEqual([5, 4, 3]);
    expect(await store.get(2)).toBeUndefined();
    expect((await store.get(3))?.number).toBe(3);
    expect(await store.latest()).toBe(5);
  });

  test('a version over the size rule is refused, and nothing is stored', async () => {
    const store = await backend.instance();
    // Past the entry schema's own limits: the store's rule is the last guard.
    const huge: KbVersion = { ...after(undefined), files: files('很长的答案'.repeat(Math.ceil(MAX_VERSION_BYTES / 10))) };
    await expect(store.put(huge)).rejects.toBeInstanceOf(VersionTooLargeError);
    expect(await store.latest()).toBe(0);
    expect(await store.list()).toEqual([]);
  });

  test('a publication on one instance is heard on another; an unsubscribed listener hears nothing more', async () => {
    const [a, b] = await twoInstances(backend);
    let heard = 0;
    let stillHeard = 0;
    const unsubscribe = a.onPublished(() => heard++);
    const other = a.onPublished(() => stillHeard++);
    let latest: KbVersion | undefined;
    const publish = async () => {
      latest = after(latest);
      expect(await b.put(latest)).toBe(true);
    };
    // A listener may start listening a moment after subscribing: publish again until it hears.
    await until(async () => {
      if (heard === 0) await publish();
      return heard > 0;
    });
    unsubscribe();
    const before = heard;
    const stillBefore = stillHeard;
    await publish();
    await until(async () => stillHeard > stillBefore);
    expect(heard).toBe(before);
    other();
  });
}
