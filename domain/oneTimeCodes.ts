/** What a guided flow asks a code for, and what sending and checking one come to: the flows' side of the one-time codes. */

export type OtpPurpose = 'unlock' | 'phone-change-old' | 'phone-change-new' | 'appeal' | 'appeal-status';

/**
 * `limited`: the client asking, or everyone together, has had too many codes sent lately (against SMS pumping).
 * `unavailable`: those sends could not be counted just now (the shared store is down), so none is sent.
 */
export type SendResult = { status: 'sent' } | { status: 'too-soon'; retryInSeconds: number } | { status: 'daily-limit' } | { status: 'limited' } | { status: 'unavailable' };
export type VerifyResult = { status: 'ok' } | { status: 'wrong'; attemptsLeft: number } | { status: 'used-up' } | { status: 'expired' } | { status: 'none' };
