# bash completion for pmtalint
_pmtalint() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "config check format show send diff lsp rules explain --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
    --format)
      if [ "${COMP_WORDS[1]}" = show ] || [ "${COMP_WORDS[1]}" = send ]; then COMPREPLY=($(compgen -W "text json" -- "$cur")); return; fi
      if [ "${COMP_WORDS[1]}" = diff ]; then COMPREPLY=($(compgen -W "text json markdown" -- "$cur")); return; fi
      COMPREPLY=($(compgen -W "text json json-lines gcc github sarif checkstyle junit gitlab" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --fail-on)
      if [ "${COMP_WORDS[1]}" = diff ]; then COMPREPLY=($(compgen -W "restart security any" -- "$cur")); return; fi
      COMPREPLY=($(compgen -W "error warning info" -- "$cur")); return ;;
    --git) COMPREPLY=($(compgen -W "HEAD HEAD~1 $(git branch --format='%(refname:short)' 2>/dev/null)" -- "$cur")); return ;;
    --pmta-version) COMPREPLY=($(compgen -W "4.0 4.5 5.0 5.5 6.0" -- "$cur")); return ;;
    --main) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --root|--old-root|--new-root|--write-docs) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --select|--ignore)
      # A comma-separated list: complete the name after the last comma.
      local done=${cur%,*} word=${cur##*,}
      [ "$done" = "$cur" ] && done="" || done="$done,"
      COMPREPLY=($(compgen -P "$done" -W "$(pmtalint rules 2>/dev/null | awk '{print $2}')" -- "$word")); return ;;
    --dns-zone|--workload|--recipients|--scenario|--plot|--starttls-ca|--main|--config|--baseline|--write-baseline|--output|-o)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --backend) COMPREPLY=($(compgen -W "sim smtp" -- "$cur")); return ;;
  esac
  case "${COMP_WORDS[1]}" in
    config|check)
      if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "--format --output --color --root --main --pmta-version --fail-on --config --no-config --show-config --baseline --write-baseline --stdin-filename --quiet --dns-zone --online --resolver --fix --unsafe-fixes --diff --select --ignore --exit-zero --statistics --docs-url" -- "$cur"))
      else
        COMPREPLY=($(compgen -f -- "$cur"))
      fi ;;
    format)
      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "--check --diff --indent --tabs --stdin-filename" -- "$cur"))
      else COMPREPLY=($(compgen -f -- "$cur")); fi ;;
    explain)
      # Rule slugs, directive names and <blocks>, from the binary's own knowledge base.
      local IFS=$'\n'
      COMPREPLY=($(compgen -W "$(pmtalint explain --list 2>/dev/null)" -- "$cur")) ;;
    rules) COMPREPLY=($(compgen -W "--write-docs" -- "$cur")) ;;
    lsp) COMPREPLY=($(compgen -W "--stdio --root --pmta-version --main --docs-url" -- "$cur")) ;;
    send)
      if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "--dry-run --workload --recipients --vmta --scenario --backend --smtp-server --allow-remote --speed --starttls-ca --seed --horizon --format --plot --root --dns-zone --online --resolver" -- "$cur"))
      else
        COMPREPLY=($(compgen -f -- "$cur"))
      fi ;;
    diff)
      if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "--git --format --root --old-root --new-root --fail-on --only-queues" -- "$cur"))
      else
        COMPREPLY=($(compgen -f -- "$cur"))
      fi ;;
    show)
      if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "settings" -- "$cur"))
      elif [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "--format --only-set --root" -- "$cur"))
      else COMPREPLY=($(compgen -f -- "$cur")); fi ;;
  esac
}
complete -F _pmtalint pmtalint
