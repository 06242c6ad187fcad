import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { startKefu } from '../support/kefuServer';
test('explore', async () => {
  const kefu = await startKefu();
  try {
    const words = ['短信一直不来', '验证码死活收不到', '那个六位数一直不发过来', '客服几点上班', '人工几点有人', '上传的图片最大多少', '申诉进度在哪看', '我的申诉咋样了', '能不能换绑', '咋把号码改了', '注销账户', '怎么开发票', '我想把账号删了', '密码输错好几次被锁', '照片传不上去'];
    for (const [i, w] of words.entries()) {
      const reply = await kefu.channel.ask(`x-${i}`, w);
      console.log(w, '=>', reply.map((r) => r.text).join(' | ').slice(0, 120));
    }
    const lin = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.lin);
    console.log(JSON.stringify((await lin.request('GET', '/api/knowledge/unanswered?locale=zh-CN')).body, null, 1).slice(0, 3000));
  } finally {
    await kefu.stop();
  }
}, 120000);
