import { isInlineSafe, sniffType } from '../../bot/channels/directline/fileTypes';
import { attachmentUrl, ownAttachmentPath } from '../../bot/channels/directline/publicUrl';
import { loadConfig } from '../../bot/config';

/** The decisions behind uploads: what a file is (by its bytes), which links are the Direct Line's own. */

describe('sniffType', () => {
  test('images and PDF by their first bytes, whatever the name or claimed type', () => {
    expect(sniffType(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(sniffType(Buffer.from('ffd8ffe000104a464946', 'hex'))).toBe('image/jpeg');
    expect(sniffType(Buffer.from('GIF89a....'))).toBe('image/gif');
    expect(sniffType(Buffer.from('GIF87a....'))).toBe('image/gif');
    expect(sniffType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
  });

  test('markup, scripts, archives and look-alikes are none of them', () => {
    for (const text of ['<!doctype html><script>1</script>', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'PK\x03\x04', 'RIFF\x10\x00\x00\x00WAVEfmt ', ' %PDF-1.7', '', 'GIF8']) {
      expect(sniffType(Buffer.from(text, 'latin1'))).toBeUndefined();
    }
    expect(isInlineSafe('image/svg+xml')).toBe(false);
    expect(isInlineSafe('text/html')).toBe(false);
    expect(isInlineSafe('image/png')).toBe(true);
    // A PDF's own JavaScript runs in Chromium's viewer: it is always a download.
    expect(isInlineSafe('application/pdf')).toBe(false);
  });
});

describe('ownAttachmentPath', () => {
  const base = 'https://kefu.example.com';
  const id = 'M-e0Oq5zAbweYFOcx62h55Ae';

  test('a link this Direct Line made is its own path on this server', () => {
    expect(ownAttachmentPath(base, attachmentUrl(base, id))).toBe(`/v3/directline/attachments/${id}`);
  });

  test('another host, a look-alike host, another path or extra parts are not', () => {
    for (const url of [
      `https://evil.example/v3/directline/attachments/${id}`,
      `https://kefu.example.com.evil.example/v3/directline/attachments/${id}`,
      `http://kefu.example.com/v3/directline/attachments/${id}`,
      `${base}/agent`,
      `${base}/v3/directline/attachments/${id}/../../agent`,
      `${base}/v3/directline/attachments/${id}?x=1`,
      `${base}/v3/directline/attachments/`,
      `javascript:alert(1)//${base}/v3/directline/attachments/${id}`,
    ]) {
      expect(ownAttachmentPath(base, url)).toBeUndefined();
    }
  });
});

test('PUBLIC_URL must be an http(s) URL; a trailing slash is dropped', () => {
  expect(loadConfig({ PUBLIC_URL: 'https://kefu.example.com/' }).PUBLIC_URL).toBe('https://kefu.example.com');
  expect(loadConfig({}).PUBLIC_URL).toBeUndefined();
  expect(() => loadConfig({ PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/PUBLIC_URL/);
  expect(() => loadConfig({ PUBLIC_URL: 'https://kefu.example.com/?next=evil' })).toThrow(/PUBLIC_URL/);
});
