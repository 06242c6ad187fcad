import type { Locale } from './schema';
import { seededRandom } from './seededRandom';
import { atOnce, type Sliced } from './slices';
import { canonicalize, tokenize } from './text';

/**
 * A multinomial logistic regression over the words and character n-grams of every phrasing
 * in the knowledge base, trained when the knowledge base loads (the way Rasa's count-vector
 * pipelines learn from their examples). Retrieval asks "which phrasing is this message most
 * like"; the classifier asks "which entry do messages like this belong to", learning from
 * all of an entry's phrasings at once which words tell it apart — so a paraphrase that shares
 * few characters with any single phrasing can still land on the right entry.
 */
export interface Example {
  label: string;
  text: string;
}

export interface Prediction {
  label: string;
  probability: number;
}

export interface ClassifierOptions {
  epochs: number;
  learningRate: number;
  l2: number;
}

export const DEFAULT_CLASSIFIER_OPTIONS: ClassifierOptions = { epochs: 30, learningRate: 0.5, l2: 1e-4 };

/**
 * The weights are one dense matrix (labels × features): fine for the few hundred entries a
 * support knowledge base has, not for tens of thousands. Beyond this many weights the
 * classifier is not built and routing is retrieval alone.
 */
export const MAX_WEIGHTS = 8_000_000;

/**
 * Training touches every label for every example in every epoch: beyond this many such steps
 * (about two seconds at start-up on a 2-core machine; a 1 000-entry base would take 40 s) the
 * classifier is not built either.
 */
export const MAX_TRAINING_STEPS = 5_000_000;

/** A classifier for these examples, or undefined when its matrix or its training would be too large. */
export function trainClassifier(examples: readonly Example[], locale: Locale, options: ClassifierOptions = DEFAULT_CLASSIFIER_OPTIONS): EntryClassifier | undefined {
  return atOnce(classifierTraining(examples, locale, options));
}

/** `trainClassifier` as work that pauses after each example it learns from (see slices.ts). */
export function* classifierTraining(examples: readonly Example[], locale: Locale, options: ClassifierOptions = DEFAULT_CLASSIFIER_OPTIONS): Sliced<EntryClassifier | undefined> {
  const labels = new Set(examples.map((e) => e.label)).size;
  if (labels * examples.length * options.epochs > MAX_TRAINING_STEPS) return undefined;
  const features = new Set<string>();
  for (const example of examples) {
    for (const feature of featuresOf(example.text, locale)) features.add(feature);
    yield;
  }
  if (labels * features.size > MAX_WEIGHTS) return undefined;
  return new EntryClassifier(yield* modelTraining(examples, locale, options));
}

/** Index terms plus Chinese character trigrams: the classifier's view of a text. */
export function featuresOf(text: string, locale: Locale): string[] {
  const features = tokenize(text, locale);
  if (locale === 'zh-CN') {
    for (const run of canonicalize(text, locale).match(/\p{Script=Han}{3,}/gu) ?? []) {
      const chars = [...run];
      for (let i = 0; i + 2 < chars.length; i++) features.push(`${chars[i]}${chars[i + 1]}${chars[i + 2]}`);
    }
  }
  return [...new Set(features)];
}

/** What training learns: plain data (labels, the feature index, the weights), nothing else. */
export interface ClassifierModel {
  locale: Locale;
  labels: string[];
  featureIndex: Map<string, number>;
  /** weights[label * features + feature]. */
  weights: Float64Array;
  bias: Float64Array;
}

/**
 * Stochastic gradient descent over the examples, seeded, so training gives the same model
 * every time; it pauses after each example of each epoch.
 */
function* modelTraining(examples: readonly Example[], locale: Locale, options: ClassifierOptions): Sliced<ClassifierModel> {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const featureIndex = new Map<string, number>();
  const encoded: { label: number; indices: number[] }[] = [];
  for (const example of examples) {
    const indices = featuresOf(example.text, locale).map((feature) => {
      let index = featureIndex.get(feature);
      if (index === undefined) featureIndex.set(feature, (index = featureIndex.size));
      return index;
    });
    encoded.push({ label: labelIndex.get(example.label) ?? 0, indices });
    yield;
  }
  const classes = labels.length;
  const width = featureIndex.size;
  const model: ClassifierModel = { locale, labels, featureIndex, weights: new Float64Array(classes * width), bias: new Float64Array(classes) };
  const { weights, bias } = model;
  const next = seededRandom(0x6b656675);
  const order = encoded.map((_, i) => i);
  const probabilities = new Float64Array(classes);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    // Fisher–Yates with the seeded generator, then a learning rate that decays per epoch.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rate = options.learningRate / (1 + epoch * 0.1);
    for (const at of order) {
      const { label, indices } = encoded[at]!;
      const value = 1 / Math.sqrt(indices.length || 1);
      softmax(model, indices, value, probabilities);
      for (let c = 0; c < classes; c++) {
        const gradient = probabilities[c]! - (c === label ? 1 : 0);
        bias[c]! -= rate * gradient;
        const row = c * width;
        for (const f of indices) weights[row + f]! -= rate * (gradient * value + options.l2 * weights[row + f]!);
      }
      yield;
    }
  }
  return model;
}

function softmax({ labels, featureIndex, weights, bias }: ClassifierModel, indices: readonly number[], value: number, out: Float64Array): void {
  const width = featureIndex.size;
  let max = -Infinity;
  for (let c = 0; c < labels.length; c++) {
    let z = bias[c]!;
    const row = c * width;
    for (const f of indices) z += weights[row + f]! * value;
    out[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < labels.length; c++) sum += out[c] = Math.exp(out[c]! - max);
  for (let c = 0; c < labels.length; c++) out[c]! /= sum;
}

export class EntryClassifier {
  constructor(private readonly model: ClassifierModel) {}

  /**
   * The most likely labels, best first. Features the knowledge base never had are left out
   * rather than counted: they say nothing about which of our entries is meant (whether the
   * message is ours at all is the out-of-scope classes' and retrieval's question).
   */
  predict(text: string, limit = 5): Prediction[] {
    const indices = featuresOf(text, this.model.locale)
      .map((feature) => this.model.featureIndex.get(feature))
      .filter((index): index is number => index !== undefined);
    if (indices.length === 0) return [];
    const probabilities = new Float64Array(this.model.labels.length);
    softmax(this.model, indices, 1 / Math.sqrt(indices.length), probabilities);
    return this.model.labels
      .map((label, i) => ({ label, probability: probabilities[i]! }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, limit);
  }
}
