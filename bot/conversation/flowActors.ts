import { fromPromise } from 'xstate';
import { unlockFlow } from '../../dialogs/flows/unlock';
import { flowMessages } from '../../dialogs/flows/flowMessages';
import type { Account } from '../services/accounts';
import type { Platform } from '../services/platform';
import type { Locale } from '../../knowledge/schema';

/**
 * The guided flows with their I/O wired to the platform: the machines in dialogs/ name
 * what they need (send a code, verify it, find, unlock); this is where it is done.
 */
export function createFlows(platform: Platform) {
  const unlock = unlockFlow.provide({
    actors: {
      sendCode: fromPromise(({ input }: { input: { phone: string; locale: Locale } }) => platform.otp.send(input.phone, 'unlock', input.locale)),
      verifyCode: fromPromise(({ input }: { input: { phone: string; code: string } }) => platform.otp.verify(input.phone, 'unlock', input.code)),
      findAccount: fromPromise(({ input }: { input: { phone: string } }) => platform.accounts.findByPhone(input.phone)),
      unlockAccount: fromPromise(async ({ input }: { input: { account: Account; locale: Locale } }) => {
        const { account, locale } = input;
        await platform.accounts.unlock(account.id);
        if (account.status === 'locked' && account.lockReason === 'wrong_password') {
          const link = await platform.accounts.createPasswordResetLink(account.id);
          await platform.sms.send({ phone: account.phone, kind: 'reset-link', text: flowMessages(locale).resetLinkSms(link.url) });
        }
      }),
    },
  });
  return { unlock };
}

export type Flows = ReturnType<typeof createFlows>;
