import type { ApprovablePhase, ApprovalState } from './approvals.js';
import type { CheckInput, CommittedVersion, Finding } from './check.js';
import { guardrailPhases } from './check-evidence.js';
import type { EvidenceRef } from './check-evidence.js';
import { CADENCE_DAYS, belowMinimum, daysBetween, isIsoDate, observe } from './check-values.js';
import type { ParsedEvidence } from './check-values.js';
import type { CodeInfo } from './codes.js';
import type { PathSegment } from './diagnostics.js';
import { DIMENSIONS, listGuardrails } from './manifest.js';
import type { Guardrail, Manifest, Phase, Rigor, ValueMetric } from './manifest.js';
import { didYouMean } from './suggest.js';

/** What the rules read: the manifest, io's plain data, and a few cached helpers. */
export interface RuleContext {
  manifest: Manifest;
  input: CheckInput;
  refs: EvidenceRef[];
  /** A repository path as the user sees it. */
  show(repoPath: string): string;
  /** The manifest's path as the user sees it. */
  manifestShown: string;
  approvals(phase: ApprovablePhase): ApprovalState[];
  /** The working-tree evidence, parsed (cached); undefined when it was not read. */
  readParsed(repoPath: string): ParsedEvidence | undefined;
  readVersion(repoPath: string, version: CommittedVersion): ParsedEvidence | undefined;
}

/** The readiness rules of manifest-v1.md, with help for SARIF and `--verbose`. */
export const RULES: Record<string, CodeInfo> = {
  G1: {
    title: 'Evidence committed to git',
    help: 'Every evidence path named for the phase is tracked in git, unchanged in the working tree, inside the repository, and matches its sha256 when one is given. Commit the file (git add, git commit), or fix the path.',
  },
  G2: {
    title: 'References resolve',
    help: 'Every id reference (stakeholders, value metrics, guardrails, candidates) names an item of this manifest. Fix the id or add the item.',
  },
  G3: {
    title: 'Phase signed off',
    help: 'The phase needs a current approval by the decision_maker (tier high and critical: also risk_2nd_line; critical: also internal_audit), approved or conditional. An approval goes stale when its section changes. Record one with `mlops approve <manifest> --phase <p> --by <stakeholder>`.',
  },
  E1: {
    title: 'Cross-functional team',
    help: 'Stakeholders include a decision_maker, an ai_product_manager, data_science, and a domain_expert or end_user.',
  },
  E2: {
    title: 'Business value defined',
    help: 'At least one value metric, each with unit, direction, baseline, target, owner and cadence, and a target that lies in its direction from the baseline.',
  },
  E3: {
    title: 'Trustworthy AI guardrails',
    help: 'Each of the six Trustworthy AI dimensions has a guardrail with a bound (min or max), or is excluded with a justification.',
  },
  E4: {
    title: 'Rigor fits the risk tier',
    help: 'Rigor is at least the tier default (low: dialDown; medium: standard; high and critical: dialUp for fairImpartial, privacy and safeSecure, standard elsewhere), or the dimension carries a justification for dialing down.',
  },
  E5: {
    title: 'Risks complete',
    help: 'Every risk has a title, dimension, likelihood, impact, treatment, mitigation, owner and line of defense; a risk with likelihood x impact of 15 or more needs lineOfDefense 2 or 3.',
  },
  B1: {
    title: 'Candidates compared with a baseline',
    help: 'At least two candidates, one of them a baseline (the current process or a non-AI model), and the selected candidate is among them.',
  },
  B2: {
    title: 'Value evaluated',
    help: 'Every value metric has an evaluation of kind value (with its valueMetric): business value side by side with statistical metrics.',
  },
  B3: {
    title: 'Build guardrails within bounds',
    help: 'Every guardrail active in build has committed JSON or YAML evidence whose observed value lies within its bounds.',
  },
  B4: {
    title: 'Model card and datasheets',
    help: 'A model card is tracked in git, and every dataset with personal data has a tracked datasheet.',
  },
  D1: {
    title: 'Data protection',
    help: 'When the model processes personal data, a DPIA is tracked in git.',
  },
  D2: {
    title: 'Security review',
    help: 'A threat model is tracked in git, with zero open critical findings (and zero high ones at tier high and critical).',
  },
  D3: {
    title: 'Integration and oversight',
    help: 'A runbook and a rollback are given; at tier high and critical, human oversight is in_loop or on_loop.',
  },
  D4: {
    title: 'Value measurement planned',
    help: 'Every value metric has a measurement plan entry in deploy.valueMeasurement.',
  },
  M1: {
    title: 'Drift and live guardrails within bounds',
    help: 'Every drift check has evidence whose observed value is at most its max (above warn: a warning), and every guardrail active in monitor is within its bounds.',
  },
  M2: {
    title: 'Monitoring evidence fresh',
    help: 'Value-tracking and drift evidence were last committed within their cadence (dates from git log).',
  },
  M3: {
    title: 'Business value achieved',
    help: 'No value metric is worse than its minimumAcceptable in each of the last missesToTrigger committed versions of the value-tracking evidence. When one is: reassess, and change if business value is not achieved.',
  },
  M4: {
    title: 'Triggers and governance',
    help: 'Triggers cover drift_alert, value_below_minimum and incident, and the governance review is not overdue.',
  },
};

export const RULE_PHASES: Record<Phase, string[]> = {
  envision: ['G1', 'G2', 'G3', 'E1', 'E2', 'E3', 'E4', 'E5'],
  build: ['G1', 'G2', 'G3', 'B1', 'B2', 'B3', 'B4'],
  deploy: ['G1', 'G2', 'G3', 'D1', 'D2', 'D3', 'D4'],
  monitor: ['G1', 'G2', 'M1', 'M2', 'M3', 'M4'],
};

type Rule = (ctx: RuleContext, phase: Phase) => Finding[];

const err = (message: string, at: PathSegment[], fix?: string): Finding => ({
  message,
  at,
  severity: 'error',
  ...(fix ? { fix } : {}),
});
const warn = (message: string, at: PathSegment[], fix?: string): Finding => ({
  message,
  at,
  severity: 'warning',
  ...(fix ? { fix } : {}),
});

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
function arr<T = unknown>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}
function filled(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
}
function fmt(n: number): string {
  return String(Number(n.toPrecision(6)));
}

const evidenceCache = new WeakMap<RuleContext, Map<EvidenceRef, Finding | undefined>>();

/** The G1 finding for one evidence entry, or undefined when it is committed and intact. */
export function evidenceFinding(ctx: RuleContext, ref: EvidenceRef): Finding | undefined {
  let cache = evidenceCache.get(ctx);
  if (!cache) evidenceCache.set(ctx, (cache = new Map()));
  if (!cache.has(ref)) cache.set(ref, judgeEvidence(ctx, ref));
  const f = cache.get(ref);
  return f && { ...f };
}

function judgeEvidence(ctx: RuleContext, ref: EvidenceRef): Finding | undefined {
  const at = ref.at;
  if (ref.escape === 'absolute') {
    return err(
      `${ref.label}: evidence path "${ref.raw}" is absolute; evidence lives inside the repository`,
      at,
      "write the path relative to the manifest's folder",
    );
  }
  if (ref.escape || !ref.repoPath) {
    return err(
      `${ref.label}: evidence path "${ref.raw}" leads outside the repository; it was not read`,
      at,
      "move the file into the repository and write its path relative to the manifest's folder",
    );
  }
  const p = ctx.show(ref.repoPath);
  const file = ctx.input.evidence(ref.repoPath);
  if (file?.kind === 'outside') {
    return err(
      `${ref.label}: ${p} is a symbolic link that leads outside the repository; it was not read`,
      at,
      'replace the link with the file itself, committed in the repository',
    );
  }
  if (file?.kind === 'not_a_file')
    return err(`${ref.label}: ${p} is a folder, not a file`, at, 'point the evidence at a file');
  if (!ctx.input.tracked.has(ref.repoPath)) {
    if (file?.kind === 'file' || file?.kind === 'unreadable') {
      return err(
        `${ref.label}: ${p} exists but is not committed`,
        at,
        `git add ${p} && git commit`,
      );
    }
    return err(
      `${ref.label}: ${p} does not exist`,
      at,
      `create ${p} and commit it, or correct the path in the manifest`,
    );
  }
  const state = ctx.input.workingState.get(ref.repoPath);
  if (state === 'deleted' || file?.kind === 'missing') {
    return err(
      `${ref.label}: ${p} is committed but deleted in the working tree`,
      at,
      `git restore ${p}, or commit the deletion and update the manifest`,
    );
  }
  if (state === 'modified') {
    return err(
      `${ref.label}: ${p} has uncommitted changes`,
      at,
      `commit them (git add ${p} && git commit) or discard them (git restore ${p})`,
    );
  }
  if (state === 'staged')
    return err(`${ref.label}: ${p} is staged but not committed`, at, 'git commit');
  if (file?.kind === 'unreadable')
    return err(
      `${ref.label}: ${p} cannot be read (${file.reason})`,
      at,
      'check the file and its permissions',
    );
  if (ref.sha256 !== undefined && file?.kind === 'file' && file.sha256 !== undefined) {
    const want = ref.sha256.replace(/^sha256:/i, '').toLowerCase();
    if (want !== file.sha256) {
      return err(
        `${ref.label}: ${p} does not match the sha256 in the manifest (it is ${file.sha256.slice(0, 12)}…)`,
        at,
        `restore the file that was recorded, or update sha256 to the output of \`sha256sum ${p}\``,
      );
    }
  }
  return undefined;
}

/** Observed value of `metric` in the committed evidence of `ref`, or a finding-ready problem. */
function observeRef(
  ctx: RuleContext,
  ref: EvidenceRef,
  metric: string,
): { value: number; where: string } | { problem: string } {
  const g1 = evidenceFinding(ctx, ref);
  if (g1) return { problem: g1.message.replace(/^[^:]*: /, '') + ' (rule G1)' };
  const p = ctx.show(ref.repoPath!);
  const parsed = ctx.readParsed(ref.repoPath!);
  if (!parsed) return { problem: `${p} could not be read` };
  if (!parsed.ok) return { problem: `${p} ${parsed.problem}` };
  const o = observe(parsed.data, metric, ref.pointer);
  if (o.value === undefined) return { problem: `${p} ${o.problem}` };
  return { value: o.value, where: `${p}#${o.pointer}` };
}

function stakeholderIds(m: Manifest): Set<string> {
  return new Set(arr<{ id?: unknown }>(m.envision?.stakeholders).map((s) => String(s?.id)));
}

function refCheck(
  out: Finding[],
  value: unknown,
  ids: Set<string>,
  kind: string,
  at: PathSegment[],
): void {
  if (value === undefined || value === null) return;
  const v = String(value);
  if (!ids.has(v)) {
    out.push(
      err(
        `"${v}" is not a ${kind} of this manifest${didYouMean(v, ids)}`,
        at,
        ids.size ? `use one of: ${[...ids].join(', ')}` : `add the ${kind} first`,
      ),
    );
  }
}

const G1: Rule = (ctx, phase) =>
  ctx.refs.filter((r) => r.phase === phase).flatMap((r) => evidenceFinding(ctx, r) ?? []);

const G2: Rule = (ctx, phase) => {
  const m = ctx.manifest;
  const out: Finding[] = [];
  const people = stakeholderIds(m);
  const metrics = new Set(
    arr<{ id?: unknown }>(m.envision?.valueMetrics).map((v) => String(v?.id)),
  );
  const candidates = new Set(arr<{ id?: unknown }>(m.build?.candidates).map((c) => String(c?.id)));
  const guardrails = new Set(listGuardrails(m).map((g) => String(g.guardrail.id)));
  arr<Record<string, unknown>>(m.approvals).forEach((a, i) => {
    if (isObject(a) && a.phase === phase)
      refCheck(out, a.by, people, 'stakeholder', ['approvals', i, 'by']);
  });
  if (phase === 'envision') {
    arr<Record<string, unknown>>(m.envision?.valueMetrics).forEach((v, i) => {
      if (isObject(v))
        refCheck(out, v.owner, people, 'stakeholder', ['envision', 'valueMetrics', i, 'owner']);
    });
    arr<Record<string, unknown>>(m.envision?.risks).forEach((r, i) => {
      if (!isObject(r)) return;
      refCheck(out, r.owner, people, 'stakeholder', ['envision', 'risks', i, 'owner']);
      arr(r.guardrails).forEach((g, j) =>
        refCheck(out, g, guardrails, 'guardrail', ['envision', 'risks', i, 'guardrails', j]),
      );
    });
    arr<Record<string, unknown>>(m.waivers).forEach((w, i) => {
      if (isObject(w)) refCheck(out, w.owner, people, 'stakeholder', ['waivers', i, 'owner']);
    });
  } else if (phase === 'build') {
    if (isObject(m.build?.selected))
      refCheck(out, m.build.selected.candidate, candidates, 'candidate', [
        'build',
        'selected',
        'candidate',
      ]);
    arr<Record<string, unknown>>(m.build?.evaluations).forEach((e, i) => {
      if (!isObject(e)) return;
      refCheck(out, e.candidate, candidates, 'candidate', ['build', 'evaluations', i, 'candidate']);
      refCheck(out, e.valueMetric, metrics, 'value metric', [
        'build',
        'evaluations',
        i,
        'valueMetric',
      ]);
    });
  } else if (phase === 'deploy') {
    arr<Record<string, unknown>>(m.deploy?.valueMeasurement).forEach((v, i) => {
      if (isObject(v))
        refCheck(out, v.valueMetric, metrics, 'value metric', [
          'deploy',
          'valueMeasurement',
          i,
          'valueMetric',
        ]);
    });
  } else {
    arr<Record<string, unknown>>(m.monitor?.triggers).forEach((t, i) => {
      if (isObject(t))
        refCheck(out, t.owner, people, 'stakeholder', ['monitor', 'triggers', i, 'owner']);
    });
  }
  return out;
};

const G3: Rule = (ctx, phase) => {
  if (phase === 'monitor') return [];
  const m = ctx.manifest;
  const stakeholders = arr<{ id?: unknown; role?: unknown }>(m.envision?.stakeholders);
  const cmd = (by: string): string =>
    `mlops approve ${ctx.manifestShown} --phase ${phase} --by ${by}`;
  return ctx.approvals(phase).flatMap((s): Finding[] => {
    const holder = stakeholders.find((x) => x?.role === s.role);
    const by = s.approval?.by ?? (holder ? String(holder.id) : undefined);
    const approve = by
      ? cmd(by)
      : `add a stakeholder with role ${s.role} to envision.stakeholders, then ${cmd('<id>')}`;
    const at: PathSegment[] =
      s.index !== undefined ? ['approvals', s.index] : m[phase] === undefined ? [] : [phase];
    const who = s.approval ? `${s.approval.by} (${s.role}) on ${s.approval.date}` : '';
    switch (s.status) {
      case 'current':
        return [];
      case 'missing':
        return [
          err(
            `no ${phase} approval by a ${s.role}${m[phase] === undefined ? ` (there is no ${phase} section yet)` : ''}`,
            at,
            approve,
          ),
        ];
      case 'stale':
        return [
          err(
            `the approval by ${who} is stale: the ${phase} section changed since it was approved`,
            [...at, 'digest'],
            `review the change (mlops diff) and re-approve: ${approve}`,
          ),
        ];
      case 'rejected':
        return [
          err(
            `${phase} was rejected by ${who}${s.approval?.conditions ? `: ${s.approval.conditions}` : ''}`,
            at,
            `address the reasons, then record a new decision: ${approve}`,
          ),
        ];
      case 'no_digest':
        return [
          err(
            `the approval by ${who} has no digest, so nothing shows which ${phase} section it approved`,
            at,
            `record it again: ${approve}`,
          ),
        ];
    }
  });
};

const E1: Rule = (ctx) => {
  const roles = new Set(
    arr<{ role?: unknown }>(ctx.manifest.envision?.stakeholders).map((s) => s?.role),
  );
  const at: PathSegment[] = ['envision', 'stakeholders'];
  const out: Finding[] = [];
  for (const role of ['decision_maker', 'ai_product_manager', 'data_science'] as const) {
    if (!roles.has(role))
      out.push(
        err(
          `no stakeholder with role ${role}`,
          at,
          `add the ${role.replace(/_/g, ' ')} to envision.stakeholders`,
        ),
      );
  }
  if (!roles.has('domain_expert') && !roles.has('end_user')) {
    out.push(
      err(
        'no stakeholder with role domain_expert or end_user',
        at,
        'add someone who knows the business process or uses the output',
      ),
    );
  }
  return out;
};

const E2: Rule = (ctx) => {
  const metrics = arr<ValueMetric>(ctx.manifest.envision?.valueMetrics);
  if (metrics.length === 0) {
    return [
      err(
        'no value metric: nothing says what business value the model must deliver',
        ['envision'],
        'add envision.valueMetrics with a baseline and a target',
      ),
    ];
  }
  const out: Finding[] = [];
  metrics.forEach((v, i) => {
    if (!isObject(v)) return;
    const at: PathSegment[] = ['envision', 'valueMetrics', i];
    const missing = (
      ['unit', 'direction', 'baseline', 'target', 'owner', 'cadence'] as const
    ).filter((k) => !filled(v[k]));
    if (missing.length)
      out.push(
        err(
          `value metric \`${v.id}\` has no ${missing.join(', ')}`,
          at,
          `add ${missing.join(', ')}`,
        ),
      );
    const b = v.baseline?.value;
    const t = v.target?.value;
    if (typeof b === 'number' && typeof t === 'number') {
      if ((v.direction === 'increase' && t <= b) || (v.direction === 'decrease' && t >= b)) {
        out.push(
          err(
            `value metric \`${v.id}\`: target ${t} does not ${v.direction} from the baseline ${b}`,
            [...at, 'target'],
            'fix the target or the direction',
          ),
        );
      }
    }
  });
  return out;
};

const E3: Rule = (ctx) => {
  const tai = ctx.manifest.envision?.trustworthyAI;
  const out: Finding[] = [];
  for (const d of DIMENSIONS) {
    const dim = isObject(tai) ? tai[d] : undefined;
    const at: PathSegment[] = ['envision', 'trustworthyAI', ...(dim ? [d] : [])];
    if (!isObject(dim)) {
      out.push(
        err(
          `Trustworthy AI dimension ${d} is missing`,
          at,
          `add ${d} with a guardrail, or mark it excluded with a justification`,
        ),
      );
    } else if (dim.excluded === true) {
      if (!filled(dim.justification))
        out.push(
          err(
            `${d} is excluded without a justification`,
            at,
            'say why the dimension does not apply, in justification',
          ),
        );
    } else if (
      !arr<Guardrail>(dim.guardrails).some(
        (g) => isObject(g) && (typeof g.min === 'number' || typeof g.max === 'number'),
      )
    ) {
      out.push(
        err(
          `${d} has no guardrail with a bound`,
          at,
          `add a guardrail with min or max, or mark ${d} excluded with a justification`,
        ),
      );
    }
  }
  return out;
};

const RIGOR_RANK: Record<Rigor, number> = { dialDown: 0, standard: 1, dialUp: 2 };

/** The least rigor a tier expects of a dimension. */
export function tierRigor(tier: string | undefined, dimension: string): Rigor {
  if (tier === 'high' || tier === 'critical') {
    return dimension === 'fairImpartial' || dimension === 'privacy' || dimension === 'safeSecure'
      ? 'dialUp'
      : 'standard';
  }
  return tier === 'low' ? 'dialDown' : 'standard';
}

const E4: Rule = (ctx) => {
  const tier = ctx.manifest.metadata?.riskTier;
  const tai = ctx.manifest.envision?.trustworthyAI;
  const out: Finding[] = [];
  for (const d of DIMENSIONS) {
    const dim = isObject(tai) ? tai[d] : undefined;
    if (!isObject(dim) || filled(dim.justification)) continue;
    const need = tierRigor(tier, d);
    const rigor = dim.rigor as Rigor | undefined;
    if (rigor === undefined || !(rigor in RIGOR_RANK) || RIGOR_RANK[rigor] < RIGOR_RANK[need]) {
      out.push(
        err(
          `${d} rigor is ${rigor ?? 'not set'}; tier ${tier ?? 'unknown'} expects at least ${need}`,
          ['envision', 'trustworthyAI', d, ...(rigor ? ['rigor'] : [])],
          `set rigor: ${need}, or add a justification for dialing down`,
        ),
      );
    }
  }
  return out;
};

const E5: Rule = (ctx) => {
  const out: Finding[] = [];
  arr<Record<string, unknown>>(ctx.manifest.envision?.risks).forEach((r, i) => {
    if (!isObject(r)) return;
    const at: PathSegment[] = ['envision', 'risks', i];
    const missing = [
      'title',
      'dimension',
      'likelihood',
      'impact',
      'treatment',
      'mitigation',
      'owner',
      'lineOfDefense',
    ].filter((k) => !filled(r[k]));
    if (missing.length)
      out.push(
        err(
          `risk \`${String(r.id)}\` has no ${missing.join(', ')}`,
          at,
          `add ${missing.join(', ')}`,
        ),
      );
    const score =
      typeof r.likelihood === 'number' && typeof r.impact === 'number'
        ? r.likelihood * r.impact
        : 0;
    if (score >= 15 && !(typeof r.lineOfDefense === 'number' && r.lineOfDefense >= 2)) {
      out.push(
        err(
          `risk \`${String(r.id)}\` scores ${score} (likelihood x impact) but is held only by line of defense ${String(r.lineOfDefense ?? 'none')}`,
          [...at, 'lineOfDefense'],
          'give it lineOfDefense 2 (risk function) or 3 (internal audit)',
        ),
      );
    }
  });
  return out;
};

const B1: Rule = (ctx) => {
  const build = ctx.manifest.build;
  const candidates = arr<{ id?: unknown; baseline?: unknown }>(build?.candidates);
  const out: Finding[] = [];
  const at: PathSegment[] = build ? ['build', ...(build.candidates ? ['candidates'] : [])] : [];
  if (candidates.length < 2)
    out.push(
      err(
        `${candidates.length} candidate${candidates.length === 1 ? '' : 's'}: compare at least two`,
        at,
        'add the current process or a simple model as a baseline candidate',
      ),
    );
  if (candidates.length > 0 && !candidates.some((c) => c?.baseline === true))
    out.push(
      err(
        'no candidate is marked baseline: true',
        at,
        'mark the current process or non-AI model with baseline: true',
      ),
    );
  const selected = build?.selected?.candidate;
  if (!filled(selected))
    out.push(
      err(
        'no candidate is selected',
        build ? ['build'] : [],
        'add build.selected with the candidate and the rationale',
      ),
    );
  else if (!candidates.some((c) => c?.id === selected))
    out.push(
      err(
        `the selected candidate "${String(selected)}" is not among the candidates`,
        ['build', 'selected', 'candidate'],
        'select one of the listed candidates',
      ),
    );
  return out;
};

const B2: Rule = (ctx) => {
  const evaluations = arr<Record<string, unknown>>(ctx.manifest.build?.evaluations);
  return arr<ValueMetric>(ctx.manifest.envision?.valueMetrics).flatMap((v, i) => {
    if (!isObject(v)) return [];
    const has = evaluations.some(
      (e) => isObject(e) && e.kind === 'value' && e.valueMetric === v.id,
    );
    return has
      ? []
      : [
          err(
            `value metric \`${v.id}\` has no evaluation of kind value`,
            ['envision', 'valueMetrics', i, 'id'],
            `add a build evaluation with kind: value, valueMetric: ${v.id} and its evidence`,
          ),
        ];
  });
};

function guardrailFindings(ctx: RuleContext, phase: 'build' | 'monitor'): Finding[] {
  const out: Finding[] = [];
  for (const { dimension, index, guardrail: g } of listGuardrails(ctx.manifest)) {
    if (!guardrailPhases(g).includes(phase)) continue;
    const at: PathSegment[] = ['envision', 'trustworthyAI', dimension, 'guardrails', index];
    const ref = ctx.refs.find(
      (r) => r.phase === phase && r.at[2] === dimension && r.at[4] === index,
    );
    if (!ref) {
      out.push(
        err(
          `guardrail \`${g.id}\` (${g.metric}) has no evidence`,
          at,
          `add evidence: the committed JSON or YAML report that measures ${g.metric}`,
        ),
      );
      continue;
    }
    const o = observeRef(ctx, ref, String(g.metric));
    if ('problem' in o) {
      out.push(
        err(
          `guardrail \`${g.id}\`: ${o.problem}`,
          ref.at,
          ref.pointer
            ? 'fix the pointer or the report'
            : `write ${g.metric} at /${g.metric} or /metrics/${g.metric}, or give a pointer`,
        ),
      );
      continue;
    }
    const low = typeof g.min === 'number' && o.value < g.min;
    const high = typeof g.max === 'number' && o.value > g.max;
    if (low || high) {
      const bound = low ? `below min ${fmt(g.min!)}` : `above max ${fmt(g.max!)}`;
      out.push(
        err(
          `guardrail \`${g.id}\`: ${g.metric} is ${fmt(o.value)} in ${o.where}, ${bound}`,
          [...at, low ? 'min' : 'max'],
          'bring it within bounds and commit the new report, or waive the rule with a reason, an owner and an expiry',
        ),
      );
    }
  }
  return out;
}

const B3: Rule = (ctx) => guardrailFindings(ctx, 'build');

function trackedOr(
  ctx: RuleContext,
  ref: EvidenceRef | undefined,
  what: string,
  at: PathSegment[],
  fix: string,
): Finding[] {
  if (!ref) return [err(`no ${what}`, at, fix)];
  const f = evidenceFinding(ctx, ref);
  return f
    ? [{ ...f, message: f.message.startsWith(ref.label) ? f.message : `${what}: ${f.message}` }]
    : [];
}

const B4: Rule = (ctx) => {
  const build = ctx.manifest.build;
  const out = trackedOr(
    ctx,
    ctx.refs.find((r) => r.at[1] === 'modelCard'),
    'model card',
    build ? ['build'] : [],
    'write a model card and name it in build.modelCard',
  );
  arr<Record<string, unknown>>(build?.datasets).forEach((d, i) => {
    if (!isObject(d) || d.personalData !== true) return;
    const ref = ctx.refs.find((r) => r.at[1] === 'datasets' && r.at[2] === i);
    out.push(
      ...trackedOr(
        ctx,
        ref,
        `datasheet of dataset \`${String(d.id)}\` (personal data)`,
        ['build', 'datasets', i],
        'write a datasheet and name it in datasheet',
      ),
    );
  });
  return out;
};

const D1: Rule = (ctx) => {
  const deploy = ctx.manifest.deploy;
  const dp = deploy?.dataProtection;
  const datasetsPersonal = arr<{ personalData?: unknown }>(ctx.manifest.build?.datasets).some(
    (d) => d?.personalData === true,
  );
  if (!isObject(dp)) {
    return datasetsPersonal || !deploy
      ? [
          err(
            `no deploy.dataProtection${datasetsPersonal ? ' although build datasets hold personal data' : ''}`,
            deploy ? ['deploy'] : [],
            'add dataProtection with personalData, the lawful basis and the DPIA',
          ),
        ]
      : [
          err(
            'deploy.dataProtection does not say whether personal data is processed',
            ['deploy'],
            'add dataProtection: { personalData: true|false }',
          ),
        ];
  }
  if (dp.personalData !== true && !datasetsPersonal) return [];
  return trackedOr(
    ctx,
    ctx.refs.find((r) => r.at[2] === 'dpia'),
    'DPIA for personal data',
    ['deploy', 'dataProtection'],
    'carry out a DPIA, commit it, and name it in deploy.dataProtection.dpia',
  );
};

const D2: Rule = (ctx) => {
  const sec = ctx.manifest.deploy?.securityReview;
  const out = trackedOr(
    ctx,
    ctx.refs.find((r) => r.at[2] === 'threatModel'),
    'threat model',
    ctx.manifest.deploy ? ['deploy', ...(sec ? ['securityReview'] : [])] : [],
    'write a threat model, commit it, and name it in deploy.securityReview.threatModel',
  );
  const tier = ctx.manifest.metadata?.riskTier;
  const open = isObject(sec) ? sec.openFindings : undefined;
  if (!isObject(open)) {
    if (isObject(sec))
      out.push(
        err(
          'the security review does not state its open findings',
          ['deploy', 'securityReview'],
          'add openFindings: { critical: 0, high: 0 } once they are closed',
        ),
      );
    return out;
  }
  const critical = typeof open.critical === 'number' ? open.critical : undefined;
  const high = typeof open.high === 'number' ? open.high : undefined;
  if (critical !== 0)
    out.push(
      err(
        critical === undefined
          ? 'open critical findings are not stated'
          : `${critical} open critical security finding${critical === 1 ? '' : 's'}`,
        ['deploy', 'securityReview', 'openFindings', 'critical'],
        'close them and record critical: 0',
      ),
    );
  if ((tier === 'high' || tier === 'critical') && high !== 0) {
    out.push(
      err(
        high === undefined
          ? `open high findings are not stated (tier ${tier})`
          : `${high} open high security finding${high === 1 ? '' : 's'} at tier ${tier}`,
        ['deploy', 'securityReview', 'openFindings', 'high'],
        'close them and record high: 0',
      ),
    );
  }
  return out;
};

const D3: Rule = (ctx) => {
  const integ = ctx.manifest.deploy?.integration;
  const at: PathSegment[] = integ
    ? ['deploy', 'integration']
    : ctx.manifest.deploy
      ? ['deploy']
      : [];
  const out = trackedOr(
    ctx,
    ctx.refs.find((r) => r.at[2] === 'runbook'),
    'runbook',
    at,
    'write a runbook, commit it, and name it in deploy.integration.runbook',
  );
  if (!filled(integ?.rollback))
    out.push(
      err(
        'no rollback is described',
        at,
        'say in deploy.integration.rollback how to go back to the previous process',
      ),
    );
  const tier = ctx.manifest.metadata?.riskTier;
  if (tier === 'high' || tier === 'critical') {
    const mode = integ?.humanOversight?.mode;
    if (mode !== 'in_loop' && mode !== 'on_loop') {
      out.push(
        err(
          `human oversight is ${mode ?? 'not described'}; tier ${tier} needs a person in or on the loop`,
          integ?.humanOversight ? ['deploy', 'integration', 'humanOversight', 'mode'] : at,
          'set humanOversight.mode to in_loop or on_loop, with its procedure',
        ),
      );
    }
  }
  return out;
};

const D4: Rule = (ctx) => {
  const plans = arr<{ valueMetric?: unknown }>(ctx.manifest.deploy?.valueMeasurement);
  return arr<ValueMetric>(ctx.manifest.envision?.valueMetrics).flatMap((v, i) =>
    isObject(v) && !plans.some((p) => p?.valueMetric === v.id)
      ? [
          err(
            `value metric \`${v.id}\` has no measurement plan`,
            ['envision', 'valueMetrics', i, 'id'],
            `add deploy.valueMeasurement with valueMetric: ${v.id} and a design (ab_test, holdout or pre_post)`,
          ),
        ]
      : [],
  );
};

const M1: Rule = (ctx) => {
  const out: Finding[] = [];
  arr<Record<string, unknown>>(ctx.manifest.monitor?.drift).forEach((d, i) => {
    if (!isObject(d)) return;
    const at: PathSegment[] = ['monitor', 'drift', i];
    const ref = ctx.refs.find((r) => r.at[1] === 'drift' && r.at[2] === i);
    if (!ref) {
      out.push(
        err(
          `drift check \`${String(d.id)}\` has no evidence`,
          at,
          'add evidence: the committed drift report',
        ),
      );
      return;
    }
    const o = observeRef(ctx, ref, String(d.id));
    if ('problem' in o) {
      out.push(
        err(
          `drift check \`${String(d.id)}\`: ${o.problem}`,
          ref.at,
          ref.pointer
            ? 'fix the pointer or the report'
            : `write the value at /${String(d.id)} or /metrics/${String(d.id)}, or give a pointer`,
        ),
      );
      return;
    }
    if (typeof d.max === 'number' && o.value > d.max) {
      out.push(
        err(
          `drift check \`${String(d.id)}\`: ${String(d.method)} is ${fmt(o.value)} in ${o.where}, above max ${fmt(d.max)}`,
          [...at, 'max'],
          'investigate the drift and act on the drift_alert trigger (retrain or reassess)',
        ),
      );
    } else if (typeof d.warn === 'number' && o.value > d.warn) {
      out.push(
        warn(
          `drift check \`${String(d.id)}\`: ${String(d.method)} is ${fmt(o.value)} in ${o.where}, above warn ${fmt(d.warn)}`,
          [...at, 'warn'],
          'watch it: the max is ' + String(d.max),
        ),
      );
    }
  });
  out.push(...guardrailFindings(ctx, 'monitor'));
  return out;
};

const M2: Rule = (ctx) => {
  const m = ctx.manifest.monitor;
  const today = ctx.input.today;
  const out: Finding[] = [];
  const fresh = (
    ref: EvidenceRef | undefined,
    cadence: unknown,
    what: string,
    at: PathSegment[],
  ): void => {
    if (!ref?.repoPath) {
      if (!ref) out.push(err(`${what} has no evidence`, at, 'add evidence: the committed report'));
      else out.push(evidenceFinding(ctx, ref)!);
      return;
    }
    const p = ctx.show(ref.repoPath);
    const days = CADENCE_DAYS[cadence as keyof typeof CADENCE_DAYS];
    if (days === undefined) {
      out.push(
        err(`${what} has no cadence`, at, 'set cadence: daily, weekly, monthly or quarterly'),
      );
      return;
    }
    const date = ctx.input.lastCommitDates.get(ref.repoPath);
    if (!date) {
      out.push(err(`${what}: ${p} has never been committed`, ref.at, `git add ${p} && git commit`));
      return;
    }
    const age = daysBetween(date, today);
    if (age > days) {
      out.push(
        err(
          `${what}: ${p} was last committed on ${date}, ${age} days before ${today}; the ${String(cadence)} cadence allows ${days}`,
          ref.at,
          `run the ${String(cadence)} report and commit ${p}`,
        ),
      );
    }
  };
  const vt = m?.valueTracking;
  fresh(
    ctx.refs.find((r) => r.at[1] === 'valueTracking'),
    vt?.cadence,
    'value tracking',
    vt ? ['monitor', 'valueTracking'] : m ? ['monitor'] : [],
  );
  arr<Record<string, unknown>>(m?.drift).forEach((d, i) => {
    if (isObject(d))
      fresh(
        ctx.refs.find((r) => r.at[1] === 'drift' && r.at[2] === i),
        d.cadence,
        `drift check \`${String(d.id)}\``,
        ['monitor', 'drift', i],
      );
  });
  return out;
};

const M3: Rule = (ctx) => {
  const m = ctx.manifest;
  const vt = m.monitor?.valueTracking;
  const at: PathSegment[] = vt ? ['monitor', 'valueTracking'] : m.monitor ? ['monitor'] : [];
  const ref = ctx.refs.find((r) => r.at[1] === 'valueTracking');
  if (!vt || !ref)
    return [
      err(
        'no value tracking: nothing shows whether the business value is achieved',
        at,
        'add monitor.valueTracking with the committed report of observed value metrics',
      ),
    ];
  if (!ref.repoPath) return [evidenceFinding(ctx, ref)!];
  const p = ctx.show(ref.repoPath);
  const versions = ctx.input.committedVersions.get(ref.repoPath) ?? [];
  if (versions.length === 0)
    return [
      err(`value tracking: ${p} has no committed version`, ref.at, `git add ${p} && git commit`),
    ];
  const n =
    typeof vt.missesToTrigger === 'number' && vt.missesToTrigger >= 1
      ? Math.floor(vt.missesToTrigger)
      : 1;
  const out: Finding[] = [];
  arr<ValueMetric>(m.envision?.valueMetrics).forEach((metric, i) => {
    if (!isObject(metric)) return;
    const id = String(metric.id);
    const pointer =
      ref.pointer !== undefined
        ? `${ref.pointer}/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`
        : undefined;
    const observed: number[] = [];
    for (const version of versions.slice(0, n)) {
      const parsed = ctx.readVersion(ref.repoPath!, version);
      if (!parsed || !parsed.ok) {
        if (observed.length === 0)
          out.push(
            err(
              `value tracking: ${p} at ${version.commit.slice(0, 7)} ${parsed ? parsed.problem : 'could not be read'}`,
              ref.at,
              'commit a readable JSON or YAML report',
            ),
          );
        break;
      }
      const o = observe(parsed.data, id, pointer);
      if (o.value === undefined) {
        if (observed.length === 0)
          out.push(
            err(
              `value metric \`${id}\`: ${p} (committed ${version.date}) ${o.problem}`,
              ref.at,
              `report ${id} in ${p}`,
            ),
          );
        break;
      }
      observed.push(o.value);
    }
    const misses = observed.findIndex((v) => !belowMinimum(metric, v));
    const run = misses < 0 ? observed.length : misses;
    if (run === 0) return;
    const story = `baseline ${metric.baseline?.value ?? '?'} -> target ${metric.target?.value ?? '?'} -> observed ${observed.slice(0, run).map(fmt).join(', ')} (minimum acceptable ${metric.minimumAcceptable})`;
    const where: PathSegment[] = ['envision', 'valueMetrics', i, 'minimumAcceptable'];
    if (run >= n) {
      out.push(
        err(
          `value metric \`${id}\` is worse than its minimum acceptable in the last ${run === 1 ? 'committed version' : `${run} committed versions`}: ${story}`,
          where,
          "reassess and change if business value isn't achieved (the value_below_minimum trigger)",
        ),
      );
    } else {
      out.push(
        warn(
          `value metric \`${id}\` missed its minimum acceptable in the latest ${run} of ${n} versions that trigger reassessment: ${story}`,
          where,
          'watch the next reading',
        ),
      );
    }
  });
  return out;
};

const M4: Rule = (ctx) => {
  const m = ctx.manifest.monitor;
  const out: Finding[] = [];
  const on = new Set(arr<{ on?: unknown }>(m?.triggers).map((t) => t?.on));
  const missing = ['drift_alert', 'value_below_minimum', 'incident'].filter((e) => !on.has(e));
  const at: PathSegment[] = m ? ['monitor', ...(m.triggers ? ['triggers'] : [])] : [];
  if (missing.length)
    out.push(
      err(
        `no trigger on ${missing.join(', ')}`,
        at,
        `add monitor.triggers for ${missing.join(', ')} with an action and an owner`,
      ),
    );
  const gov = m?.governance;
  if (!isObject(gov)) {
    out.push(
      err(
        'no governance body reviews the model',
        m ? ['monitor'] : [],
        'add monitor.governance with the body, its review cadence and the next review',
      ),
    );
  } else if (
    typeof gov.nextReview === 'string' &&
    isIsoDate(gov.nextReview) &&
    gov.nextReview < ctx.input.today
  ) {
    out.push(
      err(
        `the governance review was due on ${gov.nextReview}`,
        ['monitor', 'governance', 'nextReview'],
        'hold the review, commit its record, and set nextReview',
      ),
    );
  }
  return out;
};

const EVALUATORS: Record<string, Rule> = {
  G1,
  G2,
  G3,
  E1,
  E2,
  E3,
  E4,
  E5,
  B1,
  B2,
  B3,
  B4,
  D1,
  D2,
  D3,
  D4,
  M1,
  M2,
  M3,
  M4,
};

export function evaluateRule(id: string, phase: Phase, ctx: RuleContext): Finding[] {
  return EVALUATORS[id]?.(ctx, phase) ?? [];
}
