// What identifies an analysis result: the stored content, the engine version and the engine options. Content is
// immutable, so a result under one key never goes stale; an engine fix changes ENGINE_VERSION and with it the key.
import { canonicalJson, resolveOptions, type EngineOptions } from '@netpol-atlas/engine';
import { ENGINE_VERSION } from './engine-versions.js';

export interface AnalysisKey {
  readonly contentSha256: string;
  readonly engineVersion: number;
  /** JCS text of the resolved engine options (defaults filled in, so `{}` and the defaults are one key). */
  readonly optionsKey: string;
  readonly options: EngineOptions;
}

export function analysisKey(contentSha256: string, options: EngineOptions = {}): AnalysisKey {
  const { cni, ...resolved } = resolveOptions(options);
  // Without a CNI the engine picks the profile the content implies (content is part of the key); a chosen CNI
  // is part of the options key.
  const keyed = options.cni === undefined ? resolved : { ...resolved, cni };
  return { contentSha256, engineVersion: ENGINE_VERSION, optionsKey: canonicalJson(keyed), options: keyed };
}

export function keyText(key: AnalysisKey): string {
  return `${key.contentSha256}|${key.engineVersion}|${key.optionsKey}`;
}
