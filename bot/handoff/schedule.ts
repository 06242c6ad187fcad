/**
 * Business hours of the human team, e.g. "mon-fri 09:00-21:00; sat,sun 10:00-18:00" in a
 * named time zone, or "24/7". Pure: parsing, "is it open now", and how to say the hours.
 */

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Day = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Minutes since midnight, end exclusive; an end of 24:00 is the end of the day. */
interface Window {
  days: Set<Day>;
  from: number;
  to: number;
}

export type Schedule = { always: true } | { always: false; windows: Window[]; timeZone: string };

const ALWAYS = /^(24\/7|7x24|7×24|always)$/i;

function parseDays(spec: string): Set<Day> {
  const days = new Set<Day>();
  for (const part of spec.split(',')) {
    const [first, last = first] = part.trim().toLowerCase().split('-').map((d) => d.trim());
    const a = DAYS.indexOf(first as (typeof DAYS)[number]);
    const b = DAYS.indexOf(last as (typeof DAYS)[number]);
    if (a < 0 || b < 0) throw new Error(`unknown day in "${part.trim()}" (use mon, tue, … sun)`);
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d as Day);
      if (d === b) break;
    }
  }
  return days;
}

function parseTime(hhmm: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || Number(match[2]) > 59 || minutes > 24 * 60) throw new Error(`"${hhmm.trim()}" is not a time of day (HH:MM)`);
  return minutes;
}

/** Throws with a one-line reason when the text is not a schedule. */
export function parseSchedule(spec: string, timeZone: string): Schedule {
  if (ALWAYS.test(spec.trim())) return { always: true };
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new Error(`unknown time zone "${timeZone}"`);
  }
  const windows = spec
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(\S+)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(part);
      if (!match) throw new Error(`"${part}" should look like "mon-fri 09:00-21:00"`);
      const window = { days: parseDays(match[1] ?? ''), from: parseTime(match[2] ?? ''), to: parseTime(match[3] ?? '') };
      if (window.to <= window.from) throw new Error(`"${part}" ends before it starts`);
      return window;
    });
  if (windows.length === 0) throw new Error('no opening hours given');
  return { always: false, windows, timeZone };
}

/** Day of week and minutes since midnight of an instant, in the schedule's time zone. */
function localTime(at: Date, timeZone: string): { day: Day; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.indexOf(get('weekday').toLowerCase() as (typeof DAYS)[number]) as Day;
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function isOpen(schedule: Schedule, at: Date): boolean {
  if (schedule.always) return true;
  const { day, minutes } = localTime(at, schedule.timeZone);
  return schedule.windows.some((w) => w.days.has(day) && minutes >= w.from && minutes < w.to);
}

const ZH_DAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const EN_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Zones users in China know as Beijing time, whatever the IANA database calls them. */
const BEIJING_TIME = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC']);

const UTC = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu']);

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Runs of consecutive days, Monday first, the way people read a week. */
function dayRuns(days: ReadonlySet<Day>): Day[][] {
  const sorted = [...days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
  const runs: Day[][] = [];
  for (const day of sorted) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run && last !== undefined && day === (last + 1) % 7) run.push(day);
    else runs.push([day]);
  }
  return runs;
}

/** "周一至周五、周日" / "Monday to Friday and Sunday"; three days in a row or more are a range. */
function describeDays(days: ReadonlySet<Day>, zh: boolean): string {
  if (days.size === 7) return zh ? '每天' : 'every day';
  const names = zh ? ZH_DAYS : EN_DAYS;
  const parts = dayRuns(days).flatMap((run) => {
    const first = names[run[0] ?? 0] ?? '';
    const last = names[run[run.length - 1] ?? 0] ?? '';
    if (run.length >= 3) return [zh ? `${first}至${last}` : `${first} to ${last}`];
    return run.map((d) => names[d] ?? '');
  });
  if (zh) return parts.join('、');
  return parts.length < 2 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/** "北京时间" / "Beijing time", else the zone's generic name ("英国时间", "Eastern Time"). */
function zoneName(timeZone: string, zh: boolean): string {
  if (BEIJING_TIME.has(timeZone)) return zh ? '北京时间' : 'Beijing time';
  if (UTC.has(timeZone)) return 'UTC';
  // The generic name does not depend on the date (no summer/winter variant).
  const part = new Intl.DateTimeFormat(zh ? 'zh-CN' : 'en-US', { timeZone, timeZoneName: 'longGeneric' })
    .formatToParts(0)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/**
 * The hours as the user is told them: "北京时间周一至周五 09:00–21:00；周六、周日 10:00–18:00",
 * "Monday to Friday 09:00–21:00; Saturday and Sunday 10:00–18:00 (Beijing time)", "7×24 小时".
 */
export function describeSchedule(schedule: Schedule, locale: 'zh-CN' | 'en-US'): string {
  const zh = locale === 'zh-CN';
  if (schedule.always) return zh ? '7×24 小时' : '24/7';
  const windows = schedule.windows.map((w) => `${describeDays(w.days, zh)} ${clock(w.from)}–${clock(w.to)}`);
  const zone = zoneName(schedule.timeZone, zh);
  // Chinese names the zone first ("北京时间周一…"); English after the times.
  const gap = /\p{Script=Han}$/u.test(zone) ? '' : ' ';
  return zh ? `${zone}${gap}${windows.join('；')}` : `${windows.join('; ')} (${zone})`;
}

/**
 * When the opening hours that `at` falls in end (windows that meet, such as 24:00 and the
 * next day's 00:00, run on as one): the instant an agent's 上班 stops holding. Undefined when
 * closed at `at`; null when always open, as there is no end.
 */
export function closesAt(schedule: Schedule, at: Date): number | null | undefined {
  if (schedule.always) return null;
  if (!isOpen(schedule, at)) return undefined;
  let end = at.getTime();
  // A week of windows at most; each step jumps to the end of the window open at `end`.
  for (let step = 0; step < 8 * schedule.windows.length && isOpen(schedule, new Date(end)); step++) {
    const { day, minutes } = localTime(new Date(end), schedule.timeZone);
    const window = schedule.windows.find((w) => w.days.has(day) && minutes >= w.from && minutes < w.to);
    if (!window) break;
    // To the minute: the schedule's zone is a whole number of minutes from UTC.
    end = end - (end % 60_000) + (window.to - minutes) * 60_000;
  }
  return end;
}
