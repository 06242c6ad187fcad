/**
 * Invisible format characters (Unicode Cf): zero-width space and joiners, the BOM, the soft
 * hyphen, bidi marks. They change nothing a reader sees, so they must change nothing a
 * pattern sees either ("帮\u200b我解锁" is "帮我解锁").
 */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

export function withoutFormatCharacters(text: string): string {
  return text.replace(FORMAT_CHARACTERS, '');
}
