import { isFaq, kbEntrySchema, type KbEntry, type Locale } from './schema';

/**
 * The QnA Maker / Azure AI Language "question answering" TSV export (Question, Answer,
 * Source, Metadata, …) to and from our entries. Pure: text in, entries out.
 */

export interface ImportResult {
  entries: KbEntry[];
  /** Rows that could not become part of an entry, with the reason. */
  skipped: { row: number; reason: string }[];
}

const unescape = (text: string) => text.replace(/\\n/g, '\n').replace(/\\t/g, '\t').trim();
const escape = (text: string) => text.replace(/\t/g, ' ').replace(/\r?\n/g, '\\n');

/** "category:account|id:unlock-how" → { category: 'account', id: 'unlock-how' } */
function metadataOf(raw: string): Record<string, string> {
  return Object.fromEntries(
    raw
      .split('|')
      .map((pair) => pair.split(':').map((s) => s.trim().toLowerCase()))
      .filter((pair): pair is [string, string] => pair.length === 2 && Boolean(pair[0]) && Boolean(pair[1])),
  );
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** A second phrasing for a lone question: the same words with or without the question mark. */
function variantOf(question: string): string {
  return /[?？]$/.test(question) ? question.replace(/[?？]+$/, '') : `${question}${/[\u4e00-\u9fff]/.test(question) ? '？' : '?'}`;
}

/**
 * Rows with the same answer become one entry: the first question is the entry's question,
 * the others its alternates. Ids come from `id:` metadata, else the QnaId, else the order;
 * ids already taken (`existingIds`) get a numeric suffix.
 */
export function importQnaTsv(tsv: string, locale: Locale, existingIds: ReadonlySet<string> = new Set()): ImportResult {
  const lines = tsv.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim().toLowerCase());
  const column = (name: string) => header.indexOf(name);
  const [q, a, meta, qnaId] = [column('question'), column('answer'), column('metadata'), column('qnaid')];
  if (q < 0 || a < 0) throw new Error('not a QnA Maker export: the first line must name the Question and Answer columns');

  const skipped: ImportResult['skipped'] = [];
  const groups = new Map<string, { questions: string[]; metadata: Record<string, string>; qnaId?: string }>();
  lines.slice(1).forEach((line, i) => {
    if (!line.trim()) return;
    const cells = line.split('\t');
    const question = unescape(cells[q] ?? '');
    const answer = unescape(cells[a] ?? '');
    if (!question || !answer) {
      skipped.push({ row: i + 2, reason: 'question or answer is empty' });
      return;
    }
    const group = groups.get(answer) ?? { questions: [], metadata: metadataOf(meta >= 0 ? (cells[meta] ?? '') : ''), qnaId: qnaId >= 0 ? cells[qnaId]?.trim() : undefined };
    if (!group.questions.includes(question)) group.questions.push(question);
    groups.set(answer, group);
  });

  const taken = new Set(existingIds);
  const entries: KbEntry[] = [];
  let n = 0;
  for (const [answer, group] of groups) {
    n++;
    const base = slug(group.metadata.id ?? '') || (group.qnaId ? `qna-${slug(group.qnaId)}` : `imported-${n}`);
    let id = base;
    for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
    taken.add(id);
    const [question = '', ...others] = group.questions;
    const tags = Object.entries(group.metadata)
      .filter(([key]) => key !== 'id')
      .map(([, value]) => slug(value))
      .filter(Boolean);
    const parsed = kbEntrySchema.safeParse({
      id,
      locale,
      question,
      alternates: others.length > 0 ? others : [variantOf(question)],
      answer,
      tags: [...new Set(['imported', ...tags])],
    });
    if (parsed.success) entries.push(parsed.data);
    else skipped.push({ row: 0, reason: `entry for "${question.slice(0, 40)}": ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` });
  }
  return { entries, skipped };
}

/** Our FAQ entries as a QnA Maker TSV: one row per phrasing, the entry id in the metadata. */
export function exportQnaTsv(entries: readonly KbEntry[], source: string): string {
  const rows = ['Question\tAnswer\tSource\tMetadata'];
  for (const entry of entries.filter(isFaq)) {
    for (const phrasing of [entry.question, ...entry.alternates]) rows.push([escape(phrasing), escape(entry.answer.trim()), source, `id:${entry.id}`].join('\t'));
  }
  return `${rows.join('\n')}\n`;
}
