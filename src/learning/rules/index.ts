/**
 * The registry of plasticity rules. To add a rule: write one file in this folder that
 * exports a RuleDefinition (see ./rule.ts and ./counter.ts), and add it to RULES below.
 * It then gets config validation of its parameters, the oracle and chip-vs-functional
 * tests (test/unit/learning, test/differential iterate over RULES), the rule check
 * (`bitspike rule-check`), energy pricing of its learning-register traffic (from its
 * synapseBits) and its line in docs/learning.md (test/unit/learning/rules-registry.test.ts
 * fails until the line is there).
 */
import type { Param } from '../../config/param';
import { COUNTER_RULE } from './counter';
import { HIDDEN_RULE } from './hidden';
import { STOCHASTIC_RULE } from './stochastic';
import type { PlasticityRule, RuleDefinition, RuleSettings } from './rule';

export type { PlasticityRule, RuleDefinition, RuleSettings, SynapseRef, SynapseSite } from './rule';

/** Every registered rule, in the order `info` and the docs list them. */
export const RULES: readonly RuleDefinition[] = [
  COUNTER_RULE,
  HIDDEN_RULE,
  STOCHASTIC_RULE,
];

/** Names of the registered rules. */
export function ruleNames(): string[] {
  return RULES.map((r) => r.name);
}

/** The definition of a registered rule; a RangeError listing the registered ones otherwise (config validation catches names first). */
export function ruleDefinition(name: string): RuleDefinition {
  const r = RULES.find((d) => d.name === name);
  if (r === undefined) throw new RangeError(`unknown plasticity rule "${name}"; registered rules: ${ruleNames().join(', ')}`);
  return r;
}

/**
 * The parameters of every rule, merged into one field set of the `learning` section. A
 * field declared by two rules must be the same Param object (shared on purpose).
 */
export function ruleParams(): Record<string, Param> {
  const out: Record<string, Param> = {};
  for (const r of RULES) {
    for (const [k, p] of Object.entries(r.params)) {
      if (k in out && out[k] !== p) throw new Error(`rule ${r.name} declares learning.${k} differently from another rule`);
      out[k] = p;
    }
  }
  return out;
}

/** The rule object of weight layer `layer` (1-based) for a validated `learning` section. */
export function createRule(learning: RuleSettings, layer: number): PlasticityRule {
  return ruleDefinition(learning['rule'] as string).create(learning, layer);
}

/** Bits of one synapse's learning register under the selected rule (what the chip stores and the energy model prices). */
export function ruleSynapseBits(learning: RuleSettings): number {
  return createRule(learning, 1).synapseBits;
}
