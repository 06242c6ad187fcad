import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KB_DIR } from './knowledge';

/** A new FAQ entry a lead adds: "提现怎么还没到账" is not answered by the seed files. */
export const WITHDRAW_ENTRY = `
- id: withdraw-arrival-time
  locale: zh-CN
  question: 提现多久能到账？
  alternates:
    - 提现怎么还没到账
    - 钱提出来了银行卡没收到
  answer: 提现到银行卡一般 2 小时内到账，节假日可能顺延到下一个工作日。
`;
export const WITHDRAW_QUESTION = '提现怎么还没到账';
export const WITHDRAW_ANSWER = '2 小时内到账';

/** A draft directory: the seed files, plus `extra` as zh-CN/withdraw.yaml when given. */
export function draftDir(extra?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-draft-'));
  fs.cpSync(KB_DIR, dir, { recursive: true });
  if (extra) fs.writeFileSync(path.join(dir, 'zh-CN', 'withdraw.yaml'), extra);
  return dir;
}
