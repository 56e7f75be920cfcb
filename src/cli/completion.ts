// `supervisor completion bash|zsh`: a completion script built from the commands themselves
// (verbs, aliases, each verb's options), so it cannot fall behind them. App names come from
// the running master (`supervisor completion apps`, quiet when none runs); files complete
// where a verb takes a config or a script.
import type { Command } from 'commander';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';
import { verbsOf } from './unknown-verb.js';

// Verbs whose argument is an app, a file, or a shell.
const APP_VERBS = ['stop', 'reload', 'restart', 'scale', 'logs', 'describe', 'delete', 'status', 'ls', 'list', 'ps', 'monit'];
const FILE_VERBS = ['run', 'check', 'forget', 'startup'];

function optionsOf(program: Command): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const c of program.commands) {
    const flags = c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => typeof f === 'string')).concat('--help');
    for (const name of [c.name(), ...c.aliases()]) map.set(name, flags);
  }
  return map;
}

function bash(program: Command): string {
  const cases = [...optionsOf(program)].map(([verb, flags]) => `    ${verb}) opts="${flags.join(' ')}" ;;`).join('\n');
  return `# bash completion for supervisor (graceful-supervisor): source <(supervisor completion bash)
_supervisor_apps() { supervisor completion apps 2>/dev/null; }
_supervisor() {
  local cur verb opts IFS=$' \\t\\n'
  cur="\${COMP_WORDS[COMP_CWORD]}"
  verb="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${verbsOf(program).join(' ')}" -- "$cur") )
    return 0
  fi
  case "$verb" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
    return 0
  fi
  IFS=$'\\n' # app names may have spaces: one per line
  case "$verb" in
    ${APP_VERBS.join('|')}) COMPREPLY=( $(compgen -W "$(_supervisor_apps)" -- "$cur") ) ;;
    start) COMPREPLY=( $(compgen -f -- "$cur") $(compgen -W "$(_supervisor_apps)" -- "$cur") ) ;;
    ${FILE_VERBS.join('|')}) COMPREPLY=( $(compgen -f -- "$cur") ) ;;
    completion) COMPREPLY=( $(compgen -W $'bash\\nzsh' -- "$cur") ) ;;
  esac
  return 0
}
complete -o default -o filenames -F _supervisor supervisor
`;
}

function zsh(program: Command): string {
  const verbs = program.commands.filter((c) => c.name() !== 'master-daemon').flatMap((c) => [c.name(), ...c.aliases()].map((n) => `'${n}:${c.description().split(/[.:]/)[0]!.replace(/'/g, "'\\''")}'`));
  const cases = [...optionsOf(program)].map(([verb, flags]) => `    ${verb}) opts=(${flags.join(' ')}) ;;`).join('\n');
  return `#compdef supervisor
# zsh completion for supervisor (graceful-supervisor): source <(supervisor completion zsh)
_supervisor() {
  local -a verbs opts apps
  verbs=(${verbs.join(' ')})
  if (( CURRENT == 2 )); then
    _describe 'command' verbs
    return
  fi
  case $words[2] in
${cases}
  esac
  if [[ $PREFIX == -* ]]; then
    compadd -- $opts
    return
  fi
  apps=("\${(@f)$(supervisor completion apps 2>/dev/null)}")
  case $words[2] in
    ${APP_VERBS.join('|')}) compadd -- $apps ;;
    start) _files; compadd -- $apps ;;
    ${FILE_VERBS.join('|')}) _files ;;
    completion) compadd bash zsh ;;
  esac
}
compdef _supervisor supervisor
`;
}

// Prints the script for `shell` (or, for `apps`, the running master's app names).
export async function completion(shell: string, program: Command): Promise<ExitCode> {
  if (shell === 'apps') {
    try {
      const { callMaster } = await import('./call.js');
      const res = await callMaster({}, 'status', {}, false, '', 2_000);
      for (const app of (res.data as { apps: { name: string }[] }).apps) process.stdout.write(`${app.name}\n`);
    } catch {
      // no master: nothing to complete
    }
    return EXIT.OK;
  }
  if (shell !== 'bash' && shell !== 'zsh') throw new CliError(`completion: expected "bash" or "zsh", got "${shell}"`, EXIT.USAGE);
  process.stdout.write(shell === 'bash' ? bash(program) : zsh(program));
  return EXIT.OK;
}
