import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '../../config';
import { PROJECT_ROOT } from '../../projectRoot';

/**
 * The Microsoft Teams app package: manifest.json (schema 1.17) with the bot id from config,
 * a 192×192 colour icon and a 32×32 white-on-transparent outline icon, zipped flat, then
 * read back and validated the way Teams' upload does.
 */

export const MANIFEST_VERSION = '1.17';
const ACCENT = { r: 0x1f, g: 0x6f, b: 0xeb };

const guid = z.string().uuid('must be a GUID');
const httpsUrl = z.string().url().startsWith('https://', 'must be an https URL');

export const manifestSchema = z.object({
  $schema: z.string().url(),
  manifestVersion: z.literal(MANIFEST_VERSION),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as 1.0.0'),
  id: guid,
  developer: z.object({ name: z.string().min(1).max(32), websiteUrl: httpsUrl, privacyUrl: httpsUrl, termsOfUseUrl: httpsUrl }),
  name: z.object({ short: z.string().min(1).max(30), full: z.string().min(1).max(100) }),
  description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: z.literal('color.png'), outline: z.literal('outline.png') }),
  accentColor: z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'must be a #RRGGBB colour'),
  bots: z
    .array(
      z.object({
        botId: guid,
        scopes: z.array(z.enum(['personal', 'team', 'groupChat'])).min(1),
        supportsFiles: z.boolean(),
        isNotificationOnly: z.boolean(),
        commandLists: z
          .array(
            z.object({
              scopes: z.array(z.enum(['personal', 'team', 'groupChat'])).min(1),
              commands: z.array(z.object({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) })).max(10),
            }),
          )
          .max(3),
      }),
    )
    .length(1),
  permissions: z.array(z.enum(['identity', 'messageTeamMembers'])),
  validDomains: z.array(z.string()),
});
export type TeamsManifest = z.infer<typeof manifestSchema>;

export function buildManifest(config: Config, version: string): TeamsManifest {
  const missing = (['MicrosoftAppId', 'TEAMS_WEBSITE_URL', 'TEAMS_PRIVACY_URL', 'TEAMS_TERMS_URL'] as const).filter((name) => !config[name]);
  if (missing.length > 0) throw new ConfigError(`Invalid configuration: ${missing.join(', ')} missing — the Teams app package needs the Azure Bot app id and the publisher's https URLs`);
  const appId = config.MicrosoftAppId as string;
  return {
    $schema: `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version,
    id: appId,
    developer: {
      name: config.TEAMS_DEVELOPER_NAME,
      websiteUrl: config.TEAMS_WEBSITE_URL as string,
      privacyUrl: config.TEAMS_PRIVACY_URL as string,
      termsOfUseUrl: config.TEAMS_TERMS_URL as string,
    },
    name: { short: 'Kefu 客服', full: 'Kefu 客服 · 钱包与信贷在线客服' },
    description: {
      short: '账户解锁、换绑手机号、申诉等问题的在线客服',
      full: 'Kefu 解答账户锁定与解锁、手机号更换与绑定、验证码、账户关闭与申诉等常见问题，需要时为您转接人工客服。Kefu answers questions about locked accounts, phone numbers, SMS codes, closed accounts and appeals, and hands over to a person when needed.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#1F6FEB',
    bots: [
      {
        botId: appId,
        scopes: ['personal', 'groupChat', 'team'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [
          {
            scopes: ['personal', 'groupChat'],
            commands: [
              { title: '帮助', description: '看看客服能帮您做什么' },
              { title: '转人工', description: '联系人工客服' },
              { title: '重新开始', description: '清空当前对话，重新开始' },
            ],
          },
          {
            // Agents in a team choose the channel handed-off chats go to (bot/handoff/teamsAgents).
            scopes: ['team'],
            commands: [{ title: 'kefu agents here', description: '设为客服频道：之后转人工的会话都发到这个频道（仅 AGENTS_FILE 中的客服可用）' }],
          },
        ],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [],
  };
}

/** A speech bubble with three dots: inside a circle of the accent colour (colour icon), or as a white outline. */
function speechBubble(x: number, y: number, size: number): 'fill' | 'dot' | 'none' {
  const u = x / size;
  const v = y / size;
  const inBody = u > 0.2 && u < 0.8 && v > 0.25 && v < 0.65;
  const inTail = v >= 0.65 && v < 0.8 && u > 0.3 && u < 0.45 && u - 0.3 < (0.8 - v);
  const dot = [0.35, 0.5, 0.65].some((cx) => (u - cx) ** 2 + (v - 0.45) ** 2 < 0.0036);
  if (inBody && dot) return 'dot';
  return inBody || inTail ? 'fill' : 'none';
}

function drawIcon(size: number, style: 'color' | 'outline'): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (size * y + x) * 4;
      const shape = speechBubble(x + 0.5, y + 0.5, size);
      let rgba: [number, number, number, number];
      if (style === 'color') {
        const inCircle = (x + 0.5 - size / 2) ** 2 + (y + 0.5 - size / 2) ** 2 <= (size / 2) ** 2;
        if (shape === 'fill') rgba = [255, 255, 255, 255];
        else if (shape === 'dot' || inCircle) rgba = [ACCENT.r, ACCENT.g, ACCENT.b, 255];
        else rgba = [255, 255, 255, 0];
      } else {
        rgba = shape === 'fill' ? [255, 255, 255, 255] : [255, 255, 255, 0];
      }
      png.data.set(rgba, i);
    }
  }
  return PNG.sync.write(png);
}

export interface PackageProblem {
  file: string;
  reason: string;
}

/** Reads a package back and lists what Teams would reject. */
export async function validatePackage(zipBytes: Buffer): Promise<PackageProblem[]> {
  const problems: PackageProblem[] = [];
  const zip = await JSZip.loadAsync(zipBytes);
  const names = Object.keys(zip.files);
  for (const required of ['manifest.json', 'color.png', 'outline.png']) {
    if (!names.includes(required)) problems.push({ file: required, reason: 'missing at the root of the package' });
  }
  const nested = names.filter((n) => n.includes('/'));
  if (nested.length > 0) problems.push({ file: nested[0] ?? '', reason: 'files must sit at the root of the zip, not in folders' });

  const manifestText = await zip.file('manifest.json')?.async('string');
  if (manifestText) {
    const parsed = manifestSchema.safeParse(JSON.parse(manifestText));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ file: 'manifest.json', reason: `${issue.path.join('.')}: ${issue.message}` });
    } else if (parsed.data.bots[0]?.botId !== parsed.data.id) {
      problems.push({ file: 'manifest.json', reason: 'bots[0].botId should be the app id of the Azure Bot registration' });
    }
  }

  const icons: [string, number, boolean][] = [
    ['color.png', 192, false],
    ['outline.png', 32, true],
  ];
  for (const [name, size, outline] of icons) {
    const bytes = await zip.file(name)?.async('nodebuffer');
    if (!bytes) continue;
    const png = PNG.sync.read(bytes);
    if (png.width !== size || png.height !== size) problems.push({ file: name, reason: `must be ${size}×${size}, is ${png.width}×${png.height}` });
    if (outline) {
      for (let i = 0; i < png.data.length; i += 4) {
        const [r, g, b, a] = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
        if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) {
          problems.push({ file: name, reason: 'an outline icon may only have white and transparent pixels' });
          break;
        }
      }
    }
  }
  return problems;
}

export async function buildPackage(config: Config, version: string): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(buildManifest(config, version), null, 2));
  zip.file('color.png', drawIcon(192, 'color'));
  zip.file('outline.png', drawIcon(32, 'outline'));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  const bytes = await buildPackage(config, pkg.version);
  const problems = await validatePackage(bytes);
  for (const problem of problems) console.error(`${problem.file}: ${problem.reason}`);
  if (problems.length > 0) return 1;
  const out = path.resolve(process.argv[2] ?? path.join(PROJECT_ROOT, 'dist', 'teams', 'kefu-teams.zip'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, bytes);
  console.log(`Teams app package written to ${out} (${bytes.length} bytes): manifest ${MANIFEST_VERSION}, bot ${config.MicrosoftAppId}, icons 192×192 and 32×32. Valid.`);
  return 0;
}

if (require.main === module) {
  main()
    .then((code) => (process.exitCode = code))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
