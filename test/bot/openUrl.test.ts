import { openUrl } from '../../bot/openUrl';

test('the start-up URL is one a browser on this machine can open', () => {
  expect(openUrl('0.0.0.0', 3978)).toBe('http://localhost:3978/');
  expect(openUrl('::', 3978)).toBe('http://localhost:3978/');
  expect(openUrl('127.0.0.1', 4000)).toBe('http://127.0.0.1:4000/');
  expect(openUrl('::1', 4000)).toBe('http://[::1]:4000/');
  expect(openUrl('kefu.internal', 80)).toBe('http://kefu.internal:80/');
});
