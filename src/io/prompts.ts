import { input, number, select } from '@inquirer/prompts';
import type { Direction, RiskTier } from '../core/manifest.js';
import type { InitAnswers, TemplateDefaults } from '../core/scaffold.js';

/** What `askInitAnswers` needs: flags, suggestions, the templates, and checks run as answers are typed. */
export interface InitQuestions {
  /** Answers already given by flags; these are not asked again. */
  given: { name?: string; owner?: string; riskTier?: RiskTier; template?: string };
  /** Suggested answers for the rest (folder name, `git config user.name`). */
  suggested: { name?: string; owner?: string };
  templates: { name: string; description: string; defaults: TemplateDefaults }[];
  /** Why a name is refused (format, or used by another manifest), or undefined. */
  checkName(name: string): string | undefined;
  /** Why a target does not lie in `direction` from the baseline, or undefined. */
  checkTarget(direction: Direction, baseline: number, target: number): string | undefined;
  /** Why a minimumAcceptable does not lie from the baseline up to the target, or undefined. */
  checkMinimum(baseline: number, target: number, minimum: number): string | undefined;
  /** Why a target date is refused, or undefined. */
  checkTargetDate(date: string): string | undefined;
}

const TIERS: { value: RiskTier; description: string }[] = [
  { value: 'low', description: 'little harm if it is wrong; rigor may be dialled down' },
  { value: 'medium', description: 'standard rigor; sign-off by the decision maker' },
  {
    value: 'high',
    description: 'serious harm possible; dial up fairness, privacy, security; 2nd line signs off',
  },
  { value: 'critical', description: 'as high, plus internal audit signs off' },
];

const DIRECTIONS: { value: Direction; description: string }[] = [
  { value: 'increase', description: 'higher is better' },
  { value: 'decrease', description: 'lower is better' },
  { value: 'maintain', description: 'hold the current level' },
];

const orUndefined = (message: string | undefined): string | true => message ?? true;
const keep = (what: string): string => `${what} (Enter: leave the TODO to fill in later)`;

/** True for the error inquirer raises when the user presses Ctrl-C or closes the prompt. */
function isPromptExit(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')
  );
}

/**
 * Asks the questions of `mlops init` on the terminal. Returns undefined when the user cancels
 * (Ctrl-C), so the caller can stop before anything is written.
 */
export async function askInitAnswers(q: InitQuestions): Promise<InitAnswers | undefined> {
  try {
    return await ask(q);
  } catch (error) {
    if (isPromptExit(error)) return undefined;
    throw error;
  }
}

async function ask(q: InitQuestions): Promise<InitAnswers> {
  const name =
    q.given.name ??
    (
      await input({
        message: 'Model name (metadata.name, a slug)',
        default: q.suggested.name,
        required: true,
        validate: (v) => orUndefined(q.checkName(v.trim())),
      })
    ).trim();
  const owner =
    q.given.owner ??
    (
      await input({
        message: 'Accountable owner (metadata.owner.name)',
        default: q.suggested.owner,
        required: true,
        validate: (v) => (v.trim() === '' ? 'name the person who answers for the model' : true),
      })
    ).trim();
  const riskTier =
    q.given.riskTier ??
    (await select({
      message: 'Risk tier: how much harm could a wrong output do?',
      choices: TIERS,
      default: 'medium',
    }));
  const template =
    q.given.template ??
    (await select({
      message: 'Template',
      choices: q.templates.map((t) => ({ value: t.name, description: t.description })),
      default: q.templates[0]?.name,
    }));
  const defaults = q.templates.find((t) => t.name === template)?.defaults;
  const problem = await input({ message: keep("The business problem, in the business's words") });
  const hypothesis = await input({
    message: 'Hypothesis: "If we <solution>, then <business outcome>, measured by <value metric>."',
    default: defaults?.hypothesis,
    required: true,
  });
  const decisionMaker = await input({
    message: keep('Decision maker (sets success criteria, signs off): name'),
  });
  const productManager = await input({
    message: keep('AI product manager (carries the value case): name'),
  });

  const m = defaults?.metric;
  const metricName = await input({
    message: 'Primary value metric: name',
    default: m?.name,
    required: true,
  });
  const unit = await input({
    message: 'Unit (e.g. "USD per week", "percent of customers")',
    default: m?.unit,
    required: true,
  });
  const direction = await select({
    message: 'Direction: which way is better?',
    choices: DIRECTIONS,
    default: m?.direction,
  });
  const baseline = await number({
    message: "Baseline (today's value)",
    default: m?.baseline,
    required: true,
    step: 'any',
  });
  // The template's target only makes sense beside the template's own baseline.
  const templateTarget =
    m && m.baseline === baseline && m.direction === direction ? m.target : undefined;
  const target = await number({
    message: `Target (${direction === 'maintain' ? 'the level to hold' : `${direction === 'increase' ? 'above' : 'below'} ${baseline}`})`,
    default: direction === 'maintain' ? (templateTarget ?? baseline) : templateTarget,
    required: true,
    step: 'any',
    validate: (v) => orUndefined(q.checkTarget(direction, baseline, v)),
  });
  // The level below which the model no longer pays for itself (rules E2, B2, M3); for maintain,
  // the band around the target that still counts as holding it.
  const templateMinimum =
    m && m.baseline === baseline && m.target === target ? m.minimumAcceptable : undefined;
  const bound =
    direction === 'maintain'
      ? {
          tolerance: await number({
            message: `Tolerance (how far from ${target} still counts as holding it, in the metric's unit)`,
            required: true,
            step: 'any',
            min: 0,
          }),
        }
      : {
          minimumAcceptable: await number({
            message: `Minimum acceptable (the worst value at which the model still pays for itself, from ${baseline} toward ${target})`,
            default: templateMinimum ?? baseline,
            required: true,
            step: 'any',
            validate: (v) => orUndefined(q.checkMinimum(baseline, target, v ?? Number.NaN)),
          }),
        };
  const by = (
    await input({
      message: 'Target date: when should the target be reached? (YYYY-MM-DD)',
      required: true,
      validate: (v) => orUndefined(q.checkTargetDate(v)),
    })
  ).trim();
  return {
    name,
    owner,
    riskTier,
    template,
    problem,
    hypothesis,
    decisionMaker,
    productManager,
    metric: { name: metricName, unit, direction, baseline, target, ...bound, by },
  };
}
