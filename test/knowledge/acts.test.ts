import { realKnowledge } from '../support/knowledge';

const { acts } = realKnowledge().router;

describe('scratch', () => {
  it('reads', () => {
    const zh = ['好呀👌', '嗯嗯 行的', '行，麻烦你了', '好嘞', '对', '好的明白了 多谢', '没事了 拜拜', '能再讲一遍吗', '看不懂啥意思', '你这机器人听不懂人话', '叫个管事的来', '你是真人吗', '你这破机器人根本听不懂人话啊', '叫你们管事的出来', '能不能给我回个电话', '验证码是啥意思', '怎么换手机号', '好的 那换号要钱吗', '不用了谢谢', '谢谢', '在吗', '亲 在吗', '好吧', '嗯'];
    const en = ['ok ty!!', 'sure, go ahead', 'thanks, that\'s all', 'come again?', "I don't get it", "you're useless, I need a real person", 'are you a bot', 'no thanks', 'how do i unlock'];
    const out = [...zh.map((t) => [t, acts.read(t, 'zh-CN')]), ...en.map((t) => [t, acts.read(t, 'en-US')])];
    const corr = ['我想改绑手机…哦不是，是账号被冻住了', '搞错了，不是这个，我是要解锁', '说错了，是问换号要多久', '密码打错了好几次 账户被锁了', '不对，是账号被封了'].map((t) => [t, acts.correction(t, 'zh-CN')]);
    console.log(JSON.stringify([...out, ...corr], null, 0).replace(/\],\[/g, '],\n['));
  });
});
