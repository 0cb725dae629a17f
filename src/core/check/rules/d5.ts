import { finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { filled, isObject, list } from '../util.js';

export const d5 = defineRule({
  id: 'D5',
  title: 'Monitoring planned',
  phases: ['deploy'],
  help: 'Before deploy, the monitor section plans value tracking (monitor.valueTracking with evidence and cadence), at least one drift check and triggers. It is a plan: its reports need not be committed until the model is in monitor.',
  rationale:
    'A model goes live only with the mechanisms that will watch its value and its data already established: deployment without a monitoring plan leaves a brain in a jar.',
  waivable: true,
  targeted: false,
  evaluate(facts) {
    const m = facts.manifest.monitor;
    if (!isObject(m)) return [finding('MONITOR_PLAN_MISSING', [])];
    const vt = isObject(m.valueTracking) ? m.valueTracking : undefined;
    const missing: string[] = [];
    if (!filled(vt?.evidence)) missing.push('valueTracking.evidence');
    if (!filled(vt?.cadence)) missing.push('valueTracking.cadence');
    if (list(m.drift).length === 0) missing.push('drift');
    if (list(m.triggers).length === 0) missing.push('triggers');
    return missing.length
      ? [
          finding('MONITOR_PLAN_INCOMPLETE', ['monitor'], {
            missing,
            valueTracking: vt !== undefined,
          }),
        ]
      : [];
  },
});
