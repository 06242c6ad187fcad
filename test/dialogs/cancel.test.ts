import { isCancel } from '../../dialogs/flows/input';

/** Stopping a flow in the words people use: a lead-in or a softener around the stop changes nothing. */
test.each(['取消', '取消吧', '不弄了 取消', '那算了 取消', '那就取消吧', '我要取消', '还是算了', '先不办了', 'cancel', 'never mind, cancel', 'no, cancel it', 'ok stop'])('"%s" stops the flow', (text) => {
  expect(isCancel(text)).toBe(true);
});

/** A question about cancelling, or a word that only contains a stop, is not one. */
test.each(['我不取消', '取消之后还能办吗', '解锁结束了吗', 'stopwatch', 'how do i cancel my appeal'])('"%s" does not stop the flow', (text) => {
  expect(isCancel(text)).toBe(false);
});
