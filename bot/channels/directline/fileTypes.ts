/**
 * The files the embedded Direct Line accepts: what the flows take (images, PDF), known by
 * their first bytes. The uploader's Content-Type and file name are never believed: a file
 * that says `image/png` but starts with `<html>` is not a PNG.
 */
const SIGNATURES: { type: AcceptedType; at: number; bytes: Buffer }[] = [
  { type: 'image/png', at: 0, bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/jpeg', at: 0, bytes: Buffer.from([0xff, 0xd8, 0xff]) },
  { type: 'image/gif', at: 0, bytes: Buffer.from('GIF87a', 'latin1') },
  { type: 'image/gif', at: 0, bytes: Buffer.from('GIF89a', 'latin1') },
  { type: 'image/webp', at: 8, bytes: Buffer.from('WEBP', 'latin1') },
  { type: 'application/pdf', at: 0, bytes: Buffer.from('%PDF-', 'latin1') },
];

export const ACCEPTED_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];

/** The accepted type the bytes are, by their magic number; undefined for anything else. */
export function sniffType(data: Buffer): AcceptedType | undefined {
  // WebP is a RIFF container: "RIFF", the size, then "WEBP".
  const riff = data.subarray(0, 4).toString('latin1') === 'RIFF';
  return SIGNATURES.find(({ type, at, bytes }) => (type !== 'image/webp' || riff) && data.subarray(at, at + bytes.length).equals(bytes))?.type;
}

/**
 * Types a browser may show inline (only when they were sniffed): raster images, which hold
 * nothing that runs. Not PDF: Chromium's viewer runs a PDF's own JavaScript (app.alert, an
 * OpenAction) even under the sandbox CSP, so a PDF is always a download.
 */
const INLINE_TYPES: readonly AcceptedType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export function isInlineSafe(type: string): type is AcceptedType {
  return (INLINE_TYPES as readonly string[]).includes(type);
}
