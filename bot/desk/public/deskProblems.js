// Why the server refused an entry, in the lead's language. The API words its problems in
// English (the same rules and words as `npm run kb -- check`, for scripts and the log); the page
// says the ones a lead meets in Chinese and shows any other as the server wrote it.
import { UI } from './deskParts.js';

const FIELDS = { question: '标准问题', answer: '回答', followUps: '后续推荐', action: '动作', id: '条目 id', tags: '标签', kind: '类型', act: '对话行为' };

const REASONS = [
  [/^is (\d+) characters; one chat bubble holds at most (\d+)/, (n, max) => `有 ${n} 个字，一个聊天气泡最多 ${max} 个字：请缩短，或拆成几个条目，用后续推荐连起来`],
  [/^contains markup (.*?): answers are plain text/, (markup) => `含有标记 ${markup}：回答是纯文本（可用 Markdown），会原样显示给用户，不会当作网页代码`],
  [/^contains "(.*?)": such addresses run code/, (scheme) => `含有“${scheme}”：这类地址会运行代码或嵌入内容，请改为链接到 https:// 网页`],
  [/^contains an image/, () => '含有图片：回答只能是文字，请描述图片，或链接到展示图片的网页'],
  [/^links to "(.*?)": a link must be a whole https:\/\/ address/, (target) => `链接“${target}”必须是完整的 https:// 地址`],
  [/^links to "(.*?)": a link must start with https:\/\//, (target) => `链接“${target}”必须以 https:// 开头`],
  [/^links to "(.*?)": a link names a host only/, (target) => `链接“${target}”只能写网站地址，不能带用户名、密码或端口`],
  [/^links to (\S+), which is not on KB_LINK_HOSTS \(allowed: (.*)\)$/, (host, allowed) => `链接到 ${host}，不在允许的网站列表中（目前允许：${allowed === 'none yet' ? '无' : allowed}；由管理员在 KB_LINK_HOSTS 中设置）`],
  [/^\{(\w+)\} is not a placeholder \(known: (.*)\)$/, (name, known) => `{${name}} 不是可用的占位符（可用：${known}）`],
  [/^must not be empty$/, () => '不能为空'],
  [/^must be at most (\d+) characters$/, (n) => `最多 ${n} 个字`],
  [/^must be at least (\d+) characters$/, (n) => `至少 ${n} 个字`],
  [/^must list at least one alternate phrasing$/, () => '至少要有一个其他问法'],
  [/^must list at most (\d+) ids$/, (n) => `最多 ${n} 个条目`],
  [/^is required for an FAQ entry$/, () => '常见问题条目必须填写'],
  [/^unknown id (\S+) in (\S+)$/, (id, locale) => `${locale} 中没有条目 ${id}`],
  [/^duplicate id in/, () => '条目 id 与已有条目重复'],
];

function fieldZh(field) {
  if (!field) return '';
  const alternate = /^alternates\.(\d+)$/.exec(field);
  if (alternate) return `其他问法第 ${Number(alternate[1]) + 1} 条`;
  return FIELDS[field] || field;
}

/** One problem `{ field, reason }` as a line for the page. */
export function problemText({ field, reason }) {
  if (UI.i18n.lang() !== 'zh-CN') return field ? `${field}: ${reason}` : reason;
  const known = REASONS.find(([pattern]) => pattern.test(reason));
  const said = known ? known[1](...known[0].exec(reason).slice(1)) : reason;
  return field ? `${fieldZh(field)}：${said}` : said;
}
