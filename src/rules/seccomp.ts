import type { FixIntent, Path } from '../core/types.js';
import { isObj } from '../core/workload.js';
import { fmt } from './helpers.js';

/** PSA `validSeccomp`: the only profile types allowed. */
export function validSeccompType(t: unknown): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

/** A set `seccompProfile` whose type is not allowed; `{}` counts, as in PSA (its type is empty). */
export function badSeccomp(profile: unknown): boolean {
  return profile !== undefined && profile !== null && !(isObj(profile) && validSeccompType(profile.type));
}

/** `seccompProfile.type` text for messages. */
export function seccompTypeText(profile: unknown): string {
  if (!isObj(profile)) return `\`securityContext.seccompProfile: ${fmt(profile)}\``;
  return profile.type === undefined || profile.type === null
    ? 'a `securityContext.seccompProfile` without a type'
    : `\`securityContext.seccompProfile.type: ${fmt(profile.type)}\``;
}

/** Set `<profilePath>.type` to RuntimeDefault. */
export function runtimeDefaultFix(profilePath: Path, where: string): FixIntent {
  return {
    confidence: 'safe',
    title: `set ${where} \`seccompProfile.type: RuntimeDefault\``,
    ops: [{ op: 'set', path: [...profilePath, 'type'], value: 'RuntimeDefault' }],
  };
}
