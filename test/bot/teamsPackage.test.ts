import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { buildPackage, validatePackage } from '../../bot/channels/teams/appPackage';
import { loadConfig } from '../../bot/config';

const env = {
  MicrosoftAppId: '11111111-2222-4333-8444-555555555555',
  MicrosoftAppPassword: 'secret',
  TEAMS_WEBSITE_URL: 'https://kefu.example.com',
  TEAMS_PRIVACY_URL: 'https://kefu.example.com/privacy',
  TEAMS_TERMS_URL: 'https://kefu.example.com/terms',
};

describe('Teams app package', () => {
  test('has a valid 1.17 manifest with the configured bot id, and both icons', async () => {
    const bytes = await buildPackage(loadConfig(env), '1.2.3');
    expect(await validatePackage(bytes)).toEqual([]);
    const zip = await JSZip.loadAsync(bytes);
    const manifest = JSON.parse((await zip.file('manifest.json')?.async('string')) ?? '{}') as Record<string, unknown> & { bots: { botId: string }[] };
    expect(manifest.manifestVersion).toBe('1.17');
    expect(manifest.version).toBe('1.2.3');
    expect(manifest.bots[0]?.botId).toBe(env.MicrosoftAppId);
    const color = PNG.sync.read((await zip.file('color.png')?.async('nodebuffer'))!);
    const outline = PNG.sync.read((await zip.file('outline.png')?.async('nodebuffer'))!);
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
  });

  test('refuses to build without the bot id and publisher URLs', async () => {
    await expect(buildPackage(loadConfig({}), '1.0.0')).rejects.toThrow(/MicrosoftAppId, TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL missing/);
  });

  test('validation catches a wrong icon size, a coloured outline and a broken manifest', async () => {
    const zip = await JSZip.loadAsync(await buildPackage(loadConfig(env), '1.0.0'));
    const wrongSize = new PNG({ width: 100, height: 100 });
    zip.file('color.png', PNG.sync.write(wrongSize));
    const coloured = new PNG({ width: 32, height: 32 });
    coloured.data.fill(0);
    coloured.data.set([255, 0, 0, 255], 0);
    zip.file('outline.png', PNG.sync.write(coloured));
    zip.file('manifest.json', JSON.stringify({ manifestVersion: '1.17', id: 'not-a-guid' }));
    const problems = await validatePackage(await zip.generateAsync({ type: 'nodebuffer' }));
    const reasons = problems.map((p) => `${p.file}: ${p.reason}`).join('\n');
    expect(reasons).toContain('color.png: must be 192×192, is 100×100');
    expect(reasons).toContain('outline.png: an outline icon may only have white and transparent pixels');
    expect(reasons).toMatch(/manifest.json: id: must be a GUID/);
  });
});
