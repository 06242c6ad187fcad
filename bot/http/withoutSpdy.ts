import Module from 'node:module';
import path from 'node:path';

/**
 * restify requires `spdy` when it loads, for servers created with `options.spdy`, which Kefu
 * never passes; spdy's http-deceiver then calls `process.binding('http_parser')`, and Node
 * prints its DEP0111 deprecation notice at every start. Loading restify through this module
 * gives restify a stand-in instead, so the notice is never caused rather than hidden.
 */
type Load = (request: string, parent: { filename?: string } | null | undefined, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const restifyServer = `${path.sep}restify${path.sep}lib${path.sep}server.js`;
const standIn = {
  createServer(): never {
    throw new Error('restify was asked for a SPDY server, which Kefu does not ship');
  },
};

const load = loader._load;
loader._load = function (request, parent, isMain) {
  if (request === 'spdy' && parent?.filename?.endsWith(restifyServer)) return standIn;
  return load.call(this, request, parent, isMain);
};
