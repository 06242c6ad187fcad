// Jest global setup: compiles the bot once (incremental tsc) so tests can start real bot
// processes with `node dist/bot/index.js`, exactly as `npm start` runs it.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  const root = path.resolve(__dirname, '../..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
};
