import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import type { Finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { filled } from '../util.js';
import { euDocumentFindings, euDuties } from './eu-common.js';

export const eu43 = defineRule({
  id: 'EU43',
  title: 'Conformity assessment and registration',
  phases: ['deploy'],
  help: 'Before deploy, a high-risk system has its conformity assessment procedure (`deploy.conformity.procedure`), the committed assessment record and EU declaration of conformity (`assessment`, `declaration`); the provider also its EU database registration (`registration`). An importer or distributor verifies the provider’s procedure, assessment and declaration (EU AI Act Arts 43, 47, 49).',
  rationale:
    'A high-risk system is placed on the market or put into service only after its conformity assessment (Art. 43), with the EU declaration of conformity drawn up (Art. 47) and the system registered in the EU database (Art. 49); an importer or distributor verifies that the provider did so (Arts 23(1), 24(1)).',
  waivable: true,
  targeted: false,
  legal: {
    ref: 'EU AI Act, Arts 43, 47 and 49 (conformity assessment, EU declaration, registration)',
    url: EU_AI_ACT_URL,
  },
  evaluate(facts) {
    const duties = euDuties(facts);
    if (!duties.highProvider && !duties.highImporterOrDistributor) return [];
    const role = duties.highProvider ? (duties.view.role ?? 'provider') : duties.view.role!;
    const conformity = facts.manifest.deploy?.conformity;
    const at = ['deploy', 'conformity'];
    const out: Finding[] = [];
    if (conformity?.procedure !== 'internal_control' && conformity?.procedure !== 'notified_body')
      out.push(finding('EU_CONFORMITY_PROCEDURE_MISSING', [...at, 'procedure'], { role }));
    out.push(
      ...euDocumentFindings(facts, 'conformityAssessment', () =>
        finding('EU_CONFORMITY_ASSESSMENT_MISSING', [...at, 'assessment'], { role }),
      ),
      ...euDocumentFindings(facts, 'euDeclaration', () =>
        finding('EU_DECLARATION_MISSING', [...at, 'declaration'], { role }),
      ),
    );
    if (duties.highProvider && !filled(conformity?.registration))
      out.push(finding('EU_REGISTRATION_MISSING', [...at, 'registration']));
    return out;
  },
});
