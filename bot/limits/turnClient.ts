import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The client a turn came from, for the limits that are counted deep inside it (codes sent
 * by a flow, a handoff the machine asks for) without threading it through every machine.
 * The HTTP layer knows it (the client address) and sets it in the turn state; the bot runs
 * the turn inside `withClient`. Nothing a client sends can set it.
 */
const scope = new AsyncLocalStorage<string>();

export const withClient = <T>(client: string, work: () => Promise<T>): Promise<T> => scope.run(client, work);

/** The current turn's client, if the turn has one (proactive turns do not). */
export const currentClient = (): string | undefined => scope.getStore();

/** The turn-state key under which the HTTP layer leaves the client address. */
export const CLIENT_ADDRESS = Symbol('kefu.clientAddress');
