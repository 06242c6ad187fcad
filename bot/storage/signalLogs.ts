import path from 'node:path';
import type { Config } from '../config';
import { PROJECT_ROOT } from '../projectRoot';
import { JsonlKbSignalLog, type KbSignalLog } from './kbSignalLog';
import { MemoryKbSignalLog } from './memory/kbSignalLog';
import type { RedisClient } from './redis/connection';
import { RedisKbSignalLog } from './redis/kbSignalLog';

/** KB_SIGNALS_FILE as a path (it is relative to the project), if one is set. */
export function configuredSignalsFile(config: Config): string | undefined {
  return config.KB_SIGNALS_FILE ? path.resolve(PROJECT_ROOT, config.KB_SIGNALS_FILE) : undefined;
}

/** A signals file, rotated as configured. */
export function signalsFileLog(config: Config, file: string): JsonlKbSignalLog {
  return new JsonlKbSignalLog(file, { maxBytes: config.KB_SIGNALS_MAX_BYTES, keep: config.KB_SIGNALS_FILES });
}

/**
 * Where the questions that fell back and the votes are kept: with several instances shared
 * in Redis; alone, the configured file, or memory.
 */
export function kbSignalLogFor(config: Config, redis?: RedisClient): KbSignalLog {
  if (redis) return new RedisKbSignalLog(redis, config.KB_SIGNALS_KEEP);
  const file = configuredSignalsFile(config);
  return file ? signalsFileLog(config, file) : new MemoryKbSignalLog(config.KB_SIGNALS_KEEP);
}
