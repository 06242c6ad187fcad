import { fromPromise } from 'xstate';
import { flowMessages } from '../../dialogs/flows/flowMessages';
import { createAppealFlow, type FileRules } from '../../dialogs/flows/appeal';
import { identifyAccount } from '../../dialogs/flows/identifyAccount';
import { appealStatusFlow } from '../../dialogs/flows/appealStatus';
import { phoneChangeFlow } from '../../dialogs/flows/phoneChange';
import { unlockFlow } from '../../dialogs/flows/unlock';
import { verifyNumber } from '../../dialogs/flows/verifyNumber';
import type { Locale } from '../../knowledge/schema';
import type { Account, NewAppeal } from '../../domain/accounts';
import type { OtpPurpose } from '../../domain/oneTimeCodes';
import type { Platform } from '../services/platform';

/**
 * The guided flows with their I/O wired to the platform: the machines in dialogs/ name
 * what they need (send a code, verify it, find, unlock); this is where it is done.
 */
export function createFlows(platform: Platform, files: FileRules) {
  const codes = verifyNumber.provide({
    actors: {
      sendCode: fromPromise(({ input }: { input: { phone: string; purpose: OtpPurpose; locale: Locale } }) =>
        platform.otp.send(input.phone, input.purpose, input.locale),
      ),
      verifyCode: fromPromise(({ input }: { input: { phone: string; purpose: OtpPurpose; code: string } }) =>
        platform.otp.verify(input.phone, input.purpose, input.code),
      ),
    },
  });
  const findAccount = fromPromise(({ input }: { input: { phone: string } }) => platform.accounts.findByPhone(input.phone));
  const identify = identifyAccount.provide({ actors: { verifyNumber: codes, findAccount } });

  const unlock = unlockFlow.provide({
    actors: {
      identifyAccount: identify,
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
  const phoneChange = phoneChangeFlow.provide({
    actors: {
      identifyAccount: identify,
      verifyNumber: codes,
      isPhoneFree: fromPromise(({ input }: { input: { phone: string } }) => platform.accounts.isPhoneFree(input.phone)),
      changePhone: fromPromise(async ({ input }: { input: { account: Account; newPhone: string; locale: Locale } }) => {
        const { account, newPhone, locale } = input;
        await platform.accounts.changePhone(account.id, newPhone);
        const notice = flowMessages(locale).pcNoticeSms(account.phone, newPhone);
        // Both numbers hear of it: the old one is how a hijack would be noticed.
        await Promise.all([account.phone, newPhone].map((phone) => platform.sms.send({ phone, kind: 'notice', text: notice })));
      }),
    },
  });
  const appeal = createAppealFlow(files).provide({
    actors: {
      identifyAccount: identify,
      fileAppeal: fromPromise(({ input }: { input: { account: Account; appeal: NewAppeal } }) => platform.accounts.createAppeal(input.account.id, input.appeal)),
    },
  });
  const appealStatus = appealStatusFlow.provide({
    actors: {
      verifyNumber: codes,
      getCase: fromPromise(({ input }: { input: { caseId: string } }) => platform.accounts.getCase(input.caseId)),
      casesOfPhone: fromPromise(async ({ input }: { input: { phone: string } }) => {
        const account = await platform.accounts.findByPhone(input.phone);
        return { found: account !== undefined, cases: account ? await platform.accounts.casesOf(account.id) : [] };
      }),
    },
  });
  return { unlock, phoneChange, appeal, appealStatus };
}

export type Flows = ReturnType<typeof createFlows>;
