import { EU_AI_ACT_URL, EU_MIN_LOG_RETENTION_DAYS } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import type { Finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { filled, isObject, list } from '../util.js';
import { euDuties } from './eu-common.js';

export const eu26 = defineRule({
  id: 'EU26',
  title: 'Deployer obligations',
  phases: ['deploy'],
  help: `A deployer of a high-risk system assigns human oversight to named people (\`deploy.integration.humanOversight.assignedTo\`: ids of stakeholders with a name) and keeps the automatically generated logs at least six months (\`deploy.logging.retentionDays\` of ${EU_MIN_LOG_RETENTION_DAYS} or more) (EU AI Act Art. 26(2), 26(6)).`,
  rationale:
    'A deployer of a high-risk system assigns human oversight to natural persons who have the competence, training and authority it needs (Art. 26(2)), and keeps the logs the system generates for at least six months (Art. 26(6)).',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 26 (obligations of deployers)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    if (!euDuties(facts).highDeployer) return [];
    const deploy = facts.manifest.deploy;
    const ho = deploy?.integration?.humanOversight;
    const out: Finding[] = [];
    const assigned = list(ho?.assignedTo);
    const at = ['deploy', 'integration', 'humanOversight', 'assignedTo'];
    if (assigned.length === 0)
      out.push(finding('EU_OVERSIGHT_UNASSIGNED', at, { oversight: isObject(ho) }));
    const stakeholders = list(facts.manifest.envision?.stakeholders);
    assigned.forEach((id, index) => {
      const stakeholderIndex = stakeholders.findIndex((s) => isObject(s) && s.id === id);
      const named = { id: String(id), index };
      if (stakeholderIndex < 0)
        out.push(finding('EU_OVERSIGHT_ASSIGNEE_UNKNOWN', [...at, index], named));
      else if (!filled((stakeholders[stakeholderIndex] as { name?: unknown }).name))
        out.push(
          finding('EU_OVERSIGHT_ASSIGNEE_UNNAMED', [...at, index], { ...named, stakeholderIndex }),
        );
    });
    const days: unknown = deploy?.logging?.retentionDays;
    if (typeof days !== 'number' || days < EU_MIN_LOG_RETENTION_DAYS) {
      const path = ['deploy', 'logging', 'retentionDays'];
      out.push(
        finding(
          'EU_LOG_RETENTION_SHORT',
          path,
          { ...(typeof days === 'number' ? { days } : {}), min: EU_MIN_LOG_RETENTION_DAYS },
          { fix: { kind: 'edit', op: 'set', path, value: EU_MIN_LOG_RETENTION_DAYS } },
        ),
      );
    }
    return out;
  },
});
