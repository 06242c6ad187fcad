// The knowledge desk's words, in both languages, added to the staff pages' shared words.
window.kefuUi.i18n.add({
  'zh-CN': {
    deskTitle: 'Kefu 知识库工作台', leadOnly: '只有组长可以使用知识库工作台。', backToConsole: '返回客服工作台', tabs: '工作台分区',
    tab: { unanswered: '未解决问题', entries: '条目', try: '试一试', publish: '发布', history: '历史', insights: '数据' },
    kbLocale: '知识库语言', locales: { 'zh-CN': '中文', 'en-US': 'English' }, loading: '正在加载…', none: '暂无',
    versionLive: (v) => `版本 ${v.number} 已上线${v.rollbackOf ? `（回滚到版本 ${v.rollbackOf}）` : ''}：${v.publishedBy} · ${v.message}`,
    draftState: (published, drafted) => `线上版本 ${published === 0 ? '初始文件' : `v${published}`}${drafted ? ' · 草稿有未发布的修改' : ''}`,
    times: (n, c) => `${n} 次 · ${c} 个会话`, examples: '用户原话', downvoted: '被点踩的回答', nearest: '最接近的条目',
    addTo: (q) => `加到「${q}」`, dismiss: '忽略', outOfScope: '标为超出范围', added: (q) => `已加到「${q}」的草稿。`, dismissed: '已忽略。', noGroups: '没有未解决的问题。',
    search: '搜索条目', results: (n) => `${n} 个条目`, status: { published: '已发布', added: '新增', changed: '已修改' }, removed: '草稿中已删除',
    question: '标准问题', alternates: '其他问法（每行一个）', answer: '回答', followUps: '后续推荐（条目 id，逗号分隔）', action: '动作', noAction: '无',
    save: '保存到草稿', saved: '已保存到草稿。', conflict: '另一位组长已先保存了这个条目。下面是现在的内容；您的修改没有保存。', useCurrent: '改用现在的内容再编辑',
    invalid: '不能保存：', preview: '预览（按网页聊天窗口显示）', placeholderNote: '带底色的是占位符，已按当前配置填入。', pickEntry: '从列表选择一个条目。',
    tryLabel: '输入一句用户可能说的话', tryIt: '试一试', draftSide: '草稿', publishedSide: '线上版本', decision: '判断', entry: '命中条目', score: '相似度', top: '候选',
    evaluate: '运行评估', figure: '指标', evaluating: '正在评估…', set: '评估集', before: '发布前', after: '发布后', rightFirst: '首选正确', straight: '直接回答', wrong: '答错', clarify: '追问', fbPrecision: '兜底准确率', fbRecall: '兜底召回率',
    newlyFailing: '新出现的错误', moreFailing: (n) => `还有 ${n} 条`, expected: '应为', resolvedLine: (r) => `已处理的未解决问题：发布前答对 ${r.rightBefore}/${r.total}，发布后 ${r.rightAfter}/${r.total}`,
    finding: (f) =>
      f.kind === 'drop' ? `${f.set} 的首选正确率从 ${f.before}% 降到 ${f.after}%（最多允许下降 1 个百分点），新出现 ${f.newlyFailing} 条错误`
      : f.kind === 'stale' ? `草稿开始编辑后又发布了版本 ${f.latest}（草稿基于${f.base === 0 ? '初始文件' : `版本 ${f.base}`}），现在发布会撤销那个版本的修改`
      : `草稿有错误：${f.problem}`,
    gateOk: '评估通过，可以发布。', gateNo: '评估未通过：', publishMessage: '发布说明', publish: '发布', published: (v) => `已发布 v${v}，所有实例将在几秒内使用新版本。`,
    refused: '发布被拒绝：', publishAnyway: '仍然发布', confirmAnyway: '评估未通过，确定仍要发布吗？', confirmYes: '确定发布', cancel: '取消', needMessage: '请写一句发布说明。',
    serving: (v) => `正在使用 v${v}`, by: (who, when) => `${who} · ${when}`, changes: '改动', rollback: '回滚到此版本', rolledBack: (v) => `已回滚，新版本 v${v}。`, confirmRollback: (v) => `回滚到 v${v}？会发布一个与它相同的新版本。`,
    beforeChange: '修改前', afterChange: '修改后', addedEntry: '新增条目', removedEntry: '删除条目', phrasingsAdded: '新增问法', phrasingsRemoved: '删去问法', answerChanged: '回答', insightsLoading: '数据正在加载…',
    decisions: { answer: '直接回答', clarify: '列出几个问题让用户选', confirm: '向用户确认是不是这个问题', fallback: '答不上来', flow: '进入自助流程', handoff: '转人工', complaint: '按投诉处理', 'offer-handoff': '提出转人工' },
  },
  'en-US': {
    deskTitle: 'Kefu knowledge desk', leadOnly: 'Only leads can use the knowledge desk.', backToConsole: 'Back to the agent console', tabs: 'Desk sections',
    tab: { unanswered: 'Unanswered', entries: 'Entries', try: 'Try', publish: 'Publish', history: 'History', insights: 'Insights' },
    kbLocale: 'Knowledge language', locales: { 'zh-CN': '中文', 'en-US': 'English' }, loading: 'Loading…', none: 'None',
    versionLive: (v) => `Version ${v.number} is live${v.rollbackOf ? ` (rolled back to version ${v.rollbackOf})` : ''}: ${v.publishedBy} · ${v.message}`,
    draftState: (published, drafted) => `Serving ${published === 0 ? 'the seed files' : `v${published}`}${drafted ? ' · the draft has unpublished changes' : ''}`,
    times: (n, c) => `${n} times · ${c} conversations`, examples: 'What users typed', downvoted: 'Answers voted down', nearest: 'Nearest entries',
    addTo: (q) => `Add to “${q}”`, dismiss: 'Dismiss', outOfScope: 'Out of scope', added: (q) => `Added to the draft of “${q}”.`, dismissed: 'Dismissed.', noGroups: 'No unanswered questions.',
    search: 'Search entries', results: (n) => `${n} entries`, status: { published: 'published', added: 'new', changed: 'changed' }, removed: 'deleted in the draft',
    question: 'Question', alternates: 'Other phrasings (one a line)', answer: 'Answer', followUps: 'Follow-ups (entry ids, comma-separated)', action: 'Action', noAction: 'None',
    save: 'Save to draft', saved: 'Saved to the draft.', conflict: 'Another lead saved this entry first. This is its current text; your changes were not saved.', useCurrent: 'Edit the current text',
    invalid: 'Not saved: ', preview: 'Preview (as Web Chat shows it)', placeholderNote: 'Shaded words are placeholders, filled in from the current settings.', pickEntry: 'Pick an entry from the list.',
    tryLabel: 'Type something a user might say', tryIt: 'Try', draftSide: 'Draft', publishedSide: 'Published', decision: 'Decision', entry: 'Entry', score: 'Score', top: 'Candidates',
    evaluate: 'Run the evaluation', figure: 'Figure', evaluating: 'Evaluating…', set: 'Set', before: 'Before', after: 'After', rightFirst: 'Right first', straight: 'Answered', wrong: 'Wrong', clarify: 'Clarify', fbPrecision: 'Fallback precision', fbRecall: 'Fallback recall',
    newlyFailing: 'Newly failing', moreFailing: (n) => `${n} more`, expected: 'expected', resolvedLine: (r) => `Resolved unanswered questions: right ${r.rightBefore}/${r.total} before, ${r.rightAfter}/${r.total} after`,
    finding: (f) =>
      f.kind === 'drop' ? `Right-first on ${f.set} drops from ${f.before}% to ${f.after}% (at most 1 point may be lost); ${f.newlyFailing} line(s) newly fail`
      : f.kind === 'stale' ? `Version ${f.latest} was published after this draft began from ${f.base === 0 ? 'the seed files' : `version ${f.base}`}; publishing would undo its changes`
      : `The draft has an error: ${f.problem}`,
    gateOk: 'The evaluation passes; ready to publish.', gateNo: 'The evaluation does not pass: ', publishMessage: 'What changed (publish message)', publish: 'Publish', published: (v) => `Published v${v}; every instance serves it within seconds.`,
    refused: 'Publish refused: ', publishAnyway: 'Publish anyway', confirmAnyway: 'The evaluation does not pass. Publish anyway?', confirmYes: 'Yes, publish', cancel: 'Cancel', needMessage: 'Write a publish message.',
    serving: (v) => `Serving v${v}`, by: (who, when) => `${who} · ${when}`, changes: 'Changes', rollback: 'Roll back to this version', rolledBack: (v) => `Rolled back; new version v${v}.`, confirmRollback: (v) => `Roll back to v${v}? This publishes a new version equal to it.`,
    beforeChange: 'Before', afterChange: 'After', addedEntry: 'New entry', removedEntry: 'Deleted entry', phrasingsAdded: 'Phrasings added', phrasingsRemoved: 'Phrasings removed', answerChanged: 'Answer', insightsLoading: 'The figures are loading…',
    decisions: { answer: 'Answers', clarify: 'Offers a few questions to pick from', confirm: 'Asks whether this is the question', fallback: 'Cannot answer', flow: 'Starts a self-service flow', handoff: 'Hands over to a person', complaint: 'Treats it as a complaint', 'offer-handoff': 'Offers a person' },
  },
});
