import type { Rule } from '../core/rule.js';
import allowPrivilegeEscalation from './allow-privilege-escalation.js';
import privilegedContainer from './privileged-container.js';
import yamlSyntax from './yaml-syntax.js';

/** Every rule, explicitly listed and sorted by id. No side-effect registration. */
export const allRules: readonly Rule[] = [allowPrivilegeEscalation, privilegedContainer, yamlSyntax];
