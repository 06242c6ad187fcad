import { plainText } from './text';

/**
 * Appeal case numbers (AP-20261123-7K3Q) as people type them: full-width, lower case,
 * spaces or any kind of dash around the parts, zero-width characters in between. The
 * router and the status flow read them through this module, so a number the message
 * carries is read exactly as if it had been typed at the flow's prompt.
 */

const SEPARATOR = String.raw`[\s\p{Pd}]*`;
// Latin letters and digits only around it: Chinese runs straight into it ("我的申诉AP-…怎么样了").
const CASE_ID = new RegExp(String.raw`(?<![A-Z0-9])AP${SEPARATOR}(\d{8})${SEPARATOR}([0-9A-Z]{4})(?![A-Z0-9])`, 'iu');
/** "AP" and digits: an attempt at a case number, even a mistyped one ("AP-2026112-7K3Q"). */
const CASE_ID_ATTEMPT = new RegExp(String.raw`(?<![A-Z0-9])AP${SEPARATOR}\d{4}`, 'iu');

/** The case number in the text, in its canonical form AP-YYYYMMDD-XXXX; undefined when none is whole. */
export function readCaseId(text: string): string | undefined {
  const found = CASE_ID.exec(plainText(text));
  return found ? `AP-${found[1]}-${found[2]!.toUpperCase()}` : undefined;
}

/** Whether the text carries a case number, well-formed or not: the only thing to do with one is look it up. */
export function mentionsCaseId(text: string): boolean {
  return CASE_ID_ATTEMPT.test(plainText(text));
}
