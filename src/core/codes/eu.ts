import type { CodeMeta } from './index.js';

/** Findings of the EU AI Act obligation rules (src/core/check/rules/eu*.ts). */
export const EU_CODES = {
  // EU6: the high-risk classification held (Art. 6, Annexes I and III)
  EU_RISK_TIER_BELOW_HIGH: { severity: 'error' },
  EU_LEGAL_BASIS_MISSING: { severity: 'error' },
  // EU9: risk management (Art. 9)
  EU_RISKS_NONE: { severity: 'error' },
  EU_RISK_UNTREATED: { severity: 'error' },
  EU_RISK_RESIDUAL_MISSING: { severity: 'error' },
  // EU10: data and data governance (Art. 10)
  EU_DATASETS_NONE: { severity: 'error' },
  EU_DATASHEET_MISSING: { severity: 'error' },
  EU_DATA_GOVERNANCE_INCOMPLETE: { severity: 'error' },
  // EU15: declared accuracy, robustness and cybersecurity (Art. 15)
  EU_DECLARED_METRIC_MISSING: { severity: 'error' },
  EU_DECLARED_METRIC_NOT_IN_BUILD: { severity: 'error' },
  EU_DECLARED_METRIC_NO_EVIDENCE: { severity: 'error' },
  // EU12: automatic logging (Art. 12)
  EU_LOGGING_NOT_AUTOMATIC: { severity: 'error' },
  EU_LOGGING_SPEC_MISSING: { severity: 'error' },
  // EU13: instructions for use (Art. 13)
  EU_INSTRUCTIONS_MISSING: { severity: 'error' },
  // EU14: human oversight (Art. 14)
  EU_OVERSIGHT_INSUFFICIENT: { severity: 'error' },
  EU_OVERSIGHT_PROCEDURE_MISSING: { severity: 'error' },
  // EU17: quality management system (Art. 17)
  EU_QUALITY_MANAGEMENT_MISSING: { severity: 'error' },
  // EU43: conformity assessment, EU declaration, registration (Arts 43, 47, 49)
  EU_CONFORMITY_PROCEDURE_MISSING: { severity: 'error' },
  EU_CONFORMITY_ASSESSMENT_MISSING: { severity: 'error' },
  EU_DECLARATION_MISSING: { severity: 'error' },
  EU_REGISTRATION_MISSING: { severity: 'error' },
  // EU26: obligations of deployers (Art. 26(2), 26(6))
  EU_OVERSIGHT_UNASSIGNED: { severity: 'error' },
  EU_OVERSIGHT_ASSIGNEE_UNKNOWN: { severity: 'error' },
  EU_OVERSIGHT_ASSIGNEE_UNNAMED: { severity: 'error' },
  EU_LOG_RETENTION_SHORT: { severity: 'error' },
  // EU27: fundamental-rights impact assessment (Art. 27)
  EU_FRIA_MISSING: { severity: 'error' },
  EU_FRIA_UNDETERMINED: { severity: 'error' },
  // EU50: transparency (Art. 50)
  EU_DISCLOSURE_MISSING: { severity: 'error' },
  // EU72, EU73: post-market monitoring and serious incidents (Arts 72, 73)
  EU_POST_MARKET_PLAN_MISSING: { severity: 'error' },
  EU_INCIDENT_PROCEDURE_MISSING: { severity: 'error' },
  EU_INCIDENT_TRIGGER_MISSING: { severity: 'error' },
} as const satisfies Record<string, CodeMeta>;
