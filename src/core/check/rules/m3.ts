import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import type { ValueMetric } from '../../manifest.js';
import { dataProblemArgs, metricPointer, observationArgs } from '../facts.js';
import { defineRule } from '../rule.js';
import { isObject, list } from '../util.js';
import { belowMinimum, observe } from '../values.js';
import { issueFinding } from './common.js';

export const m3 = defineRule({
  id: 'M3',
  title: 'Business value achieved',
  phases: ['monitor'],
  help: 'No value metric is worse than its minimumAcceptable in each of the last missesToTrigger committed versions of the value-tracking evidence. When one is: reassess, and change if business value is not achieved.',
  rationale:
    'The business case is a hypothesis: once observed value keeps falling short of the least that still justifies the model, the decision to run it is reassessed.',
  waivable: true,
  evaluate(facts) {
    const m = facts.manifest;
    const vt = m.monitor?.valueTracking;
    const at: PathSegment[] = vt ? ['monitor', 'valueTracking'] : m.monitor ? ['monitor'] : [];
    const ref = facts.evidenceRef('valueTracking');
    if (!vt || !ref) return [finding('VALUE_TRACKING_MISSING', at)];
    if (!ref.repoPath) {
      const issue = facts.evidenceIssue(ref);
      return issue ? [issueFinding(ref, issue)] : [];
    }
    const repoPath = ref.repoPath;
    const path = facts.show(repoPath);
    const versions = facts.input.committedVersions.get(repoPath) ?? [];
    if (versions.length === 0)
      return [finding('VALUE_TRACKING_UNCOMMITTED', ref.at, { path, ...facts.commitArgs() })];
    const n = facts.missesToTrigger;
    const out: Finding[] = [];
    list<ValueMetric>(m.envision?.valueMetrics).forEach((metric, i) => {
      if (!isObject(metric)) return;
      const id = String(metric.id);
      const pointer = metricPointer(ref.pointer, id);
      const observed: number[] = [];
      for (const version of versions.slice(0, n)) {
        const parsed = facts.readVersion(repoPath, version);
        if (!parsed || !parsed.ok) {
          if (observed.length === 0)
            out.push(
              finding('VALUE_TRACKING_UNREADABLE', ref.at, {
                id,
                path,
                commit: version.commit.slice(0, 7),
                ...dataProblemArgs(parsed),
                ...facts.commitArgs(),
              }),
            );
          break;
        }
        const o = observe(parsed.data, id, pointer);
        if (o.value === undefined) {
          if (observed.length === 0)
            out.push(
              finding('VALUE_UNREPORTED', ref.at, {
                id,
                path,
                date: version.date,
                ...observationArgs(o),
                ...facts.commitArgs(),
              }),
            );
          break;
        }
        observed.push(o.value);
      }
      const misses = observed.findIndex((v) => !belowMinimum(metric, v));
      const run = misses < 0 ? observed.length : misses;
      if (run === 0) return;
      const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
      const story = {
        id,
        run,
        n,
        observed: observed.slice(0, run),
        ...(num(metric.baseline?.value) !== undefined
          ? { baseline: num(metric.baseline?.value) }
          : {}),
        ...(num(metric.target?.value) !== undefined ? { target: num(metric.target?.value) } : {}),
        ...(num(metric.minimumAcceptable) !== undefined
          ? { minimum: num(metric.minimumAcceptable) }
          : {}),
      };
      const where: PathSegment[] = ['envision', 'valueMetrics', i, 'minimumAcceptable'];
      out.push(
        finding(run >= n ? 'VALUE_BELOW_MINIMUM' : 'VALUE_MISSED_MINIMUM', where, {
          ...story,
          path,
          ...facts.commitArgs(),
        }),
      );
    });
    return out;
  },
});
