import fs from 'node:fs';
import path from 'node:path';
import type { AnyStateMachine, StateNode } from 'xstate';
import { STAGE_OF_STATE } from '../../dialogs/flowTrail';
import { flowStageSchema } from '../../domain/handoff';
import { createAppealFlow } from '../../dialogs/flows/appeal';
import { appealStatusFlow } from '../../dialogs/flows/appealStatus';
import { identifyAccount } from '../../dialogs/flows/identifyAccount';
import { phoneChangeFlow } from '../../dialogs/flows/phoneChange';
import { unlockFlow } from '../../dialogs/flows/unlock';
import { verifyNumber } from '../../dialogs/flows/verifyNumber';
import { FILE_RULES } from '../support/conversation';

/** What an agent reads about a flow is words, never a state's name: every state has its stage. */

const machines: AnyStateMachine[] = [unlockFlow, phoneChangeFlow, createAppealFlow(FILE_RULES), appealStatusFlow, identifyAccount, verifyNumber];

test('every state a user can be in has a stage (or only runs a step that has one)', () => {
  const unnamed: string[] = [];
  for (const machine of machines) {
    for (const node of Object.values(machine.root.states) as StateNode[]) {
      const passesThrough = node.type === 'final' || node.always !== undefined;
      const runsStep = node.invoke.some((invoke) => invoke.id === 'step');
      if (!passesThrough && !runsStep && !(node.key in STAGE_OF_STATE)) unnamed.push(`${machine.id}.${node.key}`);
    }
  }
  expect(unnamed).toEqual([]);
});

test('the console has words for every stage, in Chinese and in English', () => {
  const consoleJs = fs.readFileSync(path.join(__dirname, '../../bot/handoff/console/consoleText.js'), 'utf8');
  const stages = [...consoleJs.matchAll(/stages: \{([^}]*)\}/g)].map((m) => m[1] ?? '');
  expect(stages).toHaveLength(2);
  for (const words of stages) {
    for (const stage of flowStageSchema.options) expect([stage, new RegExp(`\\b${stage}: ['"][^'"]+['"]`).test(words)]).toEqual([stage, true]);
  }
});
