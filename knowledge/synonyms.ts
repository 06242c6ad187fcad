/**
 * Domain synonyms (the Chinese table also applies to English words typed in Chinese text): every variant on the right is rewritten to the canonical form on the
 * left before indexing and searching, so "解封帐号" finds "解锁账户". Chinese variants
 * match anywhere; English variants match whole words. Longest variants win.
 */
export const ZH_SYNONYMS: Record<string, string[]> = {
  手机号: ['手机号码', '电话号码', '手机号', '号码', '电话', '手机好'],
  账户: ['账号', '帐号', '帐户', '户头', '钱包账户', '张户', '账护'],
  解锁: ['解除锁定', '解除冻结', '解封', '解冻', '解所', '解琐'],
  锁定: ['冻结', '冻洁', '冻住', '冻上', '锁住', '封锁', '被锁', '锁了', '被所'],
  关闭: ['注销', '封号', '封禁', '被封', '停用', '关停', '销户'],
  申诉: ['复核', '复审', '申述', '申辩', '上诉'],
  验证码: ['短信验证码', '校验码', '动态码', '短信码', '验证吗', '验正码', 'sms码', 'sms code', 'otp', 'code'],
  更换: ['变更', '更改', '修改', '换绑', '改绑'],
  收不到: ['没收到', '没有收到', '接收不到', '收不了', '不来', '没来'],
  多久: ['多长时间', '多少天', '几天', '多久能'],
  // Not bare 收钱/花钱: a merchant's 收钱 is collecting money, not a fee. Asking whether something costs is.
  费用: ['收费', '手续费', '要钱', '要收钱', '收钱吗', '还收钱', '要花钱', '花钱吗', '付费', '扣费', '免费'],
  拒绝: ['被拒', '拒了', '驳回', '退回', '打回', '没通过', '不通过', '没批', '失败了'],
  诈骗: ['骗子', '骗局', '钓鱼', '假冒', '冒充', '骗钱', '可疑链接'],
  人工客服: ['人工', '真人客服', '人工服务'],
  为什么: ['为啥', '为何', '咋回事', '怎么回事'],
  怎么: ['如何', '怎样', '咋'],
  征信: ['信用记录', '征信记录', '信用分'],
  客服: ['客服人员', '在线客服', '客服小姐姐'],
  永久: ['永远', '再也', '彻底'],
  密码: ['登录密码', '登陆密码', '口令'],
  登录: ['登陆', '登入'],
  // "7x24", "7*24" (the star becomes a space when punctuation is folded).
  '24小时': ['7x24', '7 24', '24h', '全天候'],
};

export const EN_SYNONYMS: Record<string, string[]> = {
  phone: ['phone number', 'mobile number', 'cell number', 'phone no', 'mobile', 'cellphone', 'cell', 'phone#'],
  account: ['acct', 'acount', 'accout', 'wallet account'],
  unlock: ['unblock', 'unfreeze', 'unlocking', 'unlocked'],
  lock: ['locked', 'locking', 'frozen', 'freeze', 'blocked', 'block', 'suspended', 'suspend', 'locks'],
  close: ['closed', 'closing', 'closure', 'banned', 'ban', 'terminated', 'deactivated', 'shut down', 'disabled'],
  appeal: ['appeals', 'appealing', 'dispute', 'reconsideration'],
  code: ['otp', 'verification code', 'sms code', 'passcode', 'codes'],
  password: ['pwd', 'passwd', 'pasword', 'passward', 'pw', 'pword'],
  change: ['changing', 'changed', 'update', 'switch', 'replace', 'modify'],
  receive: ['recieve', 'received', 'receiving', 'recieved', 'recive', 'recieving'],
  support: ['customer service', 'helpdesk', 'help desk', 'customer support'],
};

/**
 * English words typed in a Chinese message ("app登不上 提示 account locked"), after the English
 * table has folded them to one spelling: read as the Chinese term the knowledge base uses.
 * Whole words only.
 */
export const EN_IN_ZH: Record<string, string[]> = {
  手机号: ['phone'],
  账户: ['account'],
  解锁: ['unlock'],
  锁定: ['lock'],
  关闭: ['close'],
  申诉: ['appeal'],
  验证码: ['code'],
  密码: ['password'],
  更换: ['change'],
  登录: ['login', 'log in', 'sign in', 'signin'],
  绑定: ['bind', 'link'],
  银行卡: ['bank card', 'card'],
  费用: ['fee', 'charge'],
  钱包: ['wallet'],
  号码: ['number'],
  被拒: ['declined', 'rejected', 'denied', 'refused'],
  失败: ['fail', 'failed', 'failure', 'error'],
  好处: ['benefit', 'benefits', 'advantage', 'point'],
  安全: ['safe', 'secure', 'security'],
  闪退: ['crash', 'crashes', 'crashed'],
  重新绑定: ['rebind', 're-bind', 'relink'],
  客服: ['support', 'agent'],
  在线: ['online'],
  收不到: ['not receive', 'never receive', "can't receive", 'cant receive'],
  重置: ['reset'],
  进度: ['status', 'progress'],
  帮我: ['help me'],
  帮: ['help'],
  双重验证: ['two-factor', 'two factor', '2fa', 'two-step', 'two step', '2-step'],
  请: ['please', 'pls', 'plz'],
  要: ['need', 'want', 'wanna'],
  // The question itself typed in English ("my 账户 got locked, why?", "wallet 被封了 permanently, what now").
  为什么: ['why', 'how come'],
  怎么办: ['what now', 'what do i do', 'what should i do', 'what can i do'],
  怎么: ['how'],
  多久: ['how long'],
  真人: ['real person', 'real human', 'human', 'a person'],
  找: ['talk to', 'speak to', 'speak with', 'talk with', 'chat with'],
  永久: ['permanent', 'permanently', 'forever'],
};
