import path from 'node:path';
import { DEFAULT_THRESHOLDS } from '../../knowledge/decide';
import { openKnowledge, type Knowledge } from '../../knowledge/index';

export const KB_DIR = path.resolve(__dirname, '../../knowledge/data');
export const EVAL_DIR = path.resolve(__dirname, '../../knowledge/eval');

let shared: Knowledge | undefined;

/** The real knowledge base with default thresholds, built once per test file. */
export function realKnowledge(): Knowledge {
  shared ??= openKnowledge({ dir: KB_DIR, thresholds: DEFAULT_THRESHOLDS });
  return shared;
}
