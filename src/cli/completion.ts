// `mlops completion bash|zsh|fish`: a completion script made from the commands and options the
// CLI defines (src/cli/run.ts), so that it never lists an option the CLI does not have. It
// completes commands, options, format names, template names, phases and the other fixed
// values, file and folder paths where a command takes them, git refs for `diff` and
// `check --branch`, and the rules and codes of `explain`. The global options (--color,
// --no-color, --verbose, --debug, --version) complete before the command and after it.
import type { Command, Option } from 'commander';

export type Shell = 'bash' | 'zsh' | 'fish';

/** What the script completes that commander does not know as choices. */
export interface CompletionValues {
  /** The template names of `init --template`. */
  templates: readonly string[];
  /** The formats of each command's `--format`. */
  formats: Readonly<Record<string, readonly string[]>>;
  /** The rule ids and finding codes `explain` takes. */
  explain: readonly string[];
}

/** What an option's value, or a command's arguments, complete to. */
type Values =
  | { kind: 'words'; words: readonly string[] }
  | { kind: 'files' }
  | { kind: 'dirs' }
  | { kind: 'refs' }
  /** git refs and files (`diff`'s revisions or two manifest files) */
  | { kind: 'refs-files' }
  /** free text: nothing to offer */
  | { kind: 'none' };

interface OptionModel {
  short?: string;
  long?: string;
  description: string;
  /** Undefined for a flag that takes no value. */
  value?: Values;
  repeatable: boolean;
}

interface CommandModel {
  name: string;
  description: string;
  options: OptionModel[];
  /** Its arguments; undefined when it takes none. */
  args?: Values;
  /** Whether it takes more than one argument. */
  many: boolean;
}

const HELP: OptionModel = {
  short: '-h',
  long: '--help',
  description: 'show help',
  repeatable: false,
};

/** Values that commander does not know as choices. */
function valuesOf(command: string, option: Option, extra: CompletionValues): Values | undefined {
  if (!option.required && !option.optional) return undefined;
  if (option.argChoices) return { kind: 'words', words: option.argChoices };
  switch (option.long) {
    case '--format':
      return { kind: 'words', words: extra.formats[command] ?? [] };
    case '--template':
      return { kind: 'words', words: extra.templates };
    case '--ci':
      return { kind: 'words', words: ['github', 'gitlab'] };
    case '--output':
    case '--stdin-filepath':
    case '--sign-key':
      return { kind: 'files' };
    case '--branch':
      return { kind: 'refs' };
    default:
      return { kind: 'none' };
  }
}

function argsOf(command: string, extra: CompletionValues): Values | undefined {
  switch (command) {
    case 'init':
      return { kind: 'dirs' };
    case 'validate':
    case 'check':
    case 'approve':
    case 'report':
    case 'migrate':
    case 'export':
      return { kind: 'files' };
    case 'diff':
      return { kind: 'refs-files' };
    case 'explain':
      return { kind: 'words', words: extra.explain };
    case 'completion':
      return { kind: 'words', words: ['bash', 'zsh', 'fish'] };
    default:
      return undefined;
  }
}

/** One line of a description, without what would need quoting in any of the shells. */
function short(text: string): string {
  return (text.split(/[;(]/)[0] ?? '')
    .replace(/[[\]'"`\\$:]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Descriptions shorter than the help's, where that one lists the values. */
const DESCRIPTIONS: Record<string, string> = {
  '--format': 'output format, or name=file to write it to a file',
  '--template': 'the template of the new manifest',
  '--ci': 'write the CI files of this provider instead of a manifest',
};

function optionsOf(
  name: string,
  options: readonly Option[],
  extra: CompletionValues,
): OptionModel[] {
  return options
    .filter((o) => !o.hidden)
    .map((o) => {
      const value = valuesOf(name, o, extra);
      // the output options' --format, which takes name=file too (explain's takes a name only)
      const repeatable = o.long === '--format' && o.description.includes('repeatable');
      return {
        ...(o.short ? { short: o.short } : {}),
        ...(o.long ? { long: o.long } : {}),
        description: short(
          (o.long && (o.long !== '--format' || repeatable) && DESCRIPTIONS[o.long]) ||
            o.description,
        ),
        ...(value ? { value } : {}),
        repeatable,
      };
    });
}

/** The commands, each with its own options and the global ones (those of the program). */
function modelOf(
  program: Command,
  extra: CompletionValues,
): { commands: CommandModel[]; globals: OptionModel[] } {
  const globals = optionsOf('', program.options, extra);
  const commands = program.commands.map((cmd) => {
    const name = cmd.name();
    const args = cmd.registeredArguments.length > 0 ? argsOf(name, extra) : undefined;
    return {
      name,
      description: short(cmd.description()),
      options: [...optionsOf(name, cmd.options, extra), HELP, ...globals],
      ...(args ? { args } : {}),
      many: cmd.registeredArguments.some((a) => a.variadic),
    };
  });
  return { commands, globals };
}

/** The completion script of `shell` for the CLI that `program` defines. */
export function completionScript(shell: Shell, program: Command, extra: CompletionValues): string {
  const { commands, globals } = modelOf(program, extra);
  switch (shell) {
    case 'bash':
      return bashScript(commands, globals);
    case 'zsh':
      return zshScript(commands, globals);
    case 'fish':
      return fishScript(commands, globals);
  }
}

const flagsOf = (o: OptionModel): string[] =>
  [o.short, o.long].filter((f): f is string => f !== undefined);

const REFS = "git for-each-ref --format='%(refname:short)' refs/heads refs/remotes refs/tags";

function bashValues(v: Values): string {
  switch (v.kind) {
    case 'words':
      return `_mlops_words ${bashQuote(v.words.join(' '))}`;
    case 'files':
      return '_mlops_files';
    case 'dirs':
      return '_mlops_dirs';
    case 'refs':
      return '_mlops_refs';
    case 'refs-files':
      return '_mlops_refs; _mlops_files add';
    case 'none':
      return ':';
  }
}

const bashQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function bashScript(commands: CommandModel[], globals: OptionModel[]): string {
  const valueCases = commands.flatMap((c) =>
    c.options
      .filter((o) => o.value)
      .map((o) => {
        const pattern = flagsOf(o)
          .map((f) => `${c.name}:${f}`)
          .join('|');
        return `    ${pattern}) ${bashValues(o.value!)}; return ;;`;
      }),
  );
  const optionCases = commands.map(
    (c) => `    ${c.name}) _mlops_words ${bashQuote(c.options.flatMap(flagsOf).join(' '))} ;;`,
  );
  const argCases = commands
    .filter((c) => c.args)
    .map((c) => `    ${c.name}) ${bashValues(c.args!)} ;;`);
  return `# bash completion for mlops: source <(mlops completion bash), e.g. in ~/.bashrc
_mlops_words() {
  local IFS=$' \t\n'
  COMPREPLY=($(compgen -W "$1" -- "$cur"))
}
_mlops_files() {
  local IFS=$'\\n'
  compopt -o filenames 2>/dev/null
  if [[ $1 == add ]]; then
    COMPREPLY+=($(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
_mlops_dirs() {
  local IFS=$'\\n'
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -d -- "$cur"))
}
_mlops_refs() {
  local IFS=$'\\n'
  COMPREPLY=($(compgen -W "$(${REFS} 2>/dev/null)" -- "$cur"))
}
_mlops() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local before=\${COMP_WORDS[COMP_CWORD-2]} eq= cmd= i
  COMPREPLY=()
  # --option=value and --format name=path, which bash splits at "="
  if [[ $cur == = ]]; then
    cur= eq=1
  elif [[ $prev == = ]]; then
    prev=$before before=\${COMP_WORDS[COMP_CWORD-3]} eq=1
  fi
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      -*) ;;
      *) cmd=\${COMP_WORDS[i]}; break ;;
    esac
  done
  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then
      _mlops_words ${bashQuote(['-h', '--help', ...globals.flatMap(flagsOf)].join(' '))}
    else
      _mlops_words ${bashQuote(commands.map((c) => c.name).join(' '))}
    fi
    return
  fi
  # after --, paths only
  for ((i++; i < COMP_CWORD; i++)); do
    if [[ \${COMP_WORDS[i]} == -- ]]; then
      _mlops_files
      return
    fi
  done
  if [[ $eq == 1 && ( $before == -f || $before == --format ) && $prev != -* ]]; then
    _mlops_files
    return
  fi
  case $cmd:$prev in
${valueCases.join('\n')}
  esac
  if [[ $cur == -* ]]; then
    case $cmd in
${optionCases.join('\n')}
    esac
    return
  fi
  case $cmd in
${argCases.join('\n')}
  esac
}
complete -o default -F _mlops mlops
`;
}

function zshAction(v: Values): string {
  switch (v.kind) {
    case 'words':
      return `(${v.words.join(' ')})`;
    case 'files':
      return '_files';
    case 'dirs':
      return '_files -/';
    case 'refs':
      return '_mlops_refs';
    case 'refs-files':
      return '_mlops_refs_files';
    case 'none':
      return ' ';
  }
}

function zshSpecs(o: OptionModel, what: string): string[] {
  const star = o.repeatable ? '*' : '';
  return flagsOf(o).map((f) => {
    if (!o.value) return `'${star}${f}[${o.description}]'`;
    const suffix = f.startsWith('--') ? '=' : '+';
    return `'${star}${f}${suffix}[${o.description}]:${what}:${zshAction(o.value)}'`;
  });
}

function zshScript(commands: CommandModel[], globals: OptionModel[]): string {
  const describe = commands.map((c) => `    '${c.name}:${c.description}'`).join('\n');
  const cases = commands.map((c) => {
    const specs = c.options.flatMap((o) => zshSpecs(o, o.long?.slice(2) ?? 'value'));
    if (c.args) {
      specs.push(
        c.many ? `'*:argument:${zshAction(c.args)}'` : `'1:argument:${zshAction(c.args)}'`,
      );
    }
    return `        ${c.name})\n          _arguments -s \\\n            ${specs.join(' \\\n            ')}\n          ;;`;
  });
  return `#compdef mlops
# zsh completion for mlops: source <(mlops completion zsh) after compinit (e.g. in ~/.zshrc),
# or save it as _mlops in a folder of $fpath
_mlops_refs() {
  local -a refs
  refs=(\${(f)"$(${REFS} 2>/dev/null)"})
  compadd -a refs
}
_mlops_refs_files() {
  _mlops_refs
  _files
}
_mlops() {
  local curcontext=$curcontext state line
  local -a commands
  commands=(
${describe}
  )
  _arguments -C \\
    '(- *)'{-h,--help}'[show help]' \\
    '(- *)'{-V,--version}'[show the version]' \\
${globals
  .filter((o) => o.long !== '--version')
  .flatMap((o) => zshSpecs(o, 'value'))
  .map((spec) => `    ${spec} \\\n`)
  .join('')}    '1: :->command' \\
    '*:: :->args'
  case $state in
    command)
      _describe -t commands 'mlops command' commands
      ;;
    args)
      case $words[1] in
${cases.join('\n')}
      esac
      ;;
  esac
}
if [[ $funcstack[1] == _mlops ]]; then
  _mlops "$@"
else
  compdef _mlops mlops
fi
`;
}

const fishQuote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishValues(v: Values): string {
  switch (v.kind) {
    case 'words':
      return `-x -a ${fishQuote(v.words.join(' '))}`;
    case 'files':
    case 'dirs':
      return '-r -F';
    case 'refs':
      return `-x -a '(__mlops_refs)'`;
    case 'refs-files':
      return `-a '(__mlops_refs)' -F`;
    case 'none':
      return '-x';
  }
}

function fishScript(commands: CommandModel[], globals: OptionModel[]): string {
  const lines: string[] = [
    '# fish completion for mlops: mlops completion fish > ~/.config/fish/completions/mlops.fish',
    'function __mlops_refs',
    `    ${REFS} 2>/dev/null`,
    'end',
    'complete -c mlops -f',
    `complete -c mlops -n __fish_use_subcommand -s h -l help -d 'show help'`,
    // the global options, before the command and after it
    ...globals.map(
      (o) =>
        `complete -c mlops ${[o.short ? `-s ${o.short.slice(1)}` : '', o.long ? `-l ${o.long.slice(2)}` : ''].filter(Boolean).join(' ')} -d ${fishQuote(o.description)}`,
    ),
  ];
  for (const c of commands) {
    lines.push(
      `complete -c mlops -n __fish_use_subcommand -a ${c.name} -d ${fishQuote(c.description)}`,
    );
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    for (const o of c.options) {
      if (globals.includes(o)) continue;
      const flags = [
        o.short ? `-s ${o.short.slice(1)}` : '',
        o.long ? `-l ${o.long.slice(2)}` : '',
      ].filter(Boolean);
      const value = o.value ? ` ${fishValues(o.value)}` : '';
      lines.push(
        `complete -c mlops ${when} ${flags.join(' ')}${value} -d ${fishQuote(o.description)}`,
      );
    }
    if (c.args) {
      const v = c.args;
      lines.push(
        `complete -c mlops ${when} ${v.kind === 'words' ? `-a ${fishQuote(v.words.join(' '))}` : v.kind === 'refs-files' ? `-a '(__mlops_refs)' -F` : '-F'}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
