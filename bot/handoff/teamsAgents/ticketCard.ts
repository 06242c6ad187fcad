import type { Ticket } from '../../../domain/handoff';
import { maskPhone, maskText } from '../../../domain/mask';
import { action, chatLine, CHANNELS, LANGUAGES, REASONS, type AdaptiveCard } from './card';

/**
 * The card a ticket (留言) is in the Teams agents' channel: the reason, the contact number
 * masked as everywhere agents look, and what the user wrote, with 已联系 for whoever dealt
 * with it. Pure, like the handoff's card: an update replaces it whole.
 */
export function ticketCard(ticket: Ticket, closedByName?: string): AdaptiveCard {
  const open = ticket.status === 'open';
  const by = closedByName ?? ticket.closedBy ?? '客服';
  const at = new Date(ticket.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: `留言工单 ${ticket.id} · ${REASONS[ticket.reason]}`, weight: 'Bolder', size: 'Medium', wrap: true },
    open
      ? { type: 'TextBlock', text: '待联系：用户请客服回电', color: 'attention', weight: 'Bolder', spacing: 'None', wrap: true }
      : { type: 'TextBlock', text: `已联系（${by}）`, color: 'good', weight: 'Bolder', spacing: 'None', wrap: true },
    {
      type: 'FactSet',
      facts: [
        { title: '联系电话', value: maskPhone(ticket.contact) },
        { title: '原因', value: REASONS[ticket.reason] },
        { title: '语言', value: LANGUAGES[ticket.locale] ?? ticket.locale },
        { title: '渠道', value: CHANNELS[ticket.channel] ?? ticket.channel },
      ],
    },
    // Teams shows these in the reader's own time zone and date format.
    { type: 'TextBlock', text: `留言时间 {{DATE(${at}, SHORT)}} {{TIME(${at})}}`, isSubtle: true, spacing: 'Small', wrap: true },
    { type: 'TextBlock', text: '留言内容', weight: 'Bolder', spacing: 'Medium', wrap: true },
    chatLine({ from: 'user', who: '用户', text: maskText(ticket.text) }),
  ];
  if (open) body.push({ type: 'TextBlock', text: '联系用户后点「已联系」，客服控制台里的这条留言工单会同时关闭。', isSubtle: true, size: 'Small', wrap: true });
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
    actions: open ? [action({ kefu: 'contacted', ticket: ticket.id }, '已联系 Contacted')] : [],
  };
}
