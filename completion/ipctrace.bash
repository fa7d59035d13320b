# bash completion for ipctrace(8)                       -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Everything comes from the binary at completion time, so it never lags
# behind it: commands from `ipctrace help`, options from `ipctrace CMD
# --help`, scenarios from `ipctrace list`, claim ids from `ipctrace verify
# --list`, --to kinds from the scenario's line of `ipctrace run --help`,
# figure groups from `ipctrace trace -F ?` (refused before anything runs).
# Plain bash: the bash-completion package is used when there, not needed.

_ipctrace_commands()
{
	"$1" help 2>/dev/null | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'
}

_ipctrace_options()
{
	"$1" "$2" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' | sed 's/^[ ,]*//' | sort -u
	echo -h
}

_ipctrace_scenarios()
{
	"$1" list 2>/dev/null | awk '{ print $1 }'
}

_ipctrace()
{
	local cword=$COMP_CWORD words=("${COMP_WORDS[@]}")
	local cur=${words[cword]} prev=${words[cword - 1]} bin=${COMP_WORDS[0]} cmd="" i
	COMPREPLY=()
	for ((i = 1; i < cword; i++)); do
		if [[ ${words[i]} != -* ]]; then
			cmd=${words[i]}
			break
		fi
	done

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$(_ipctrace_commands "$bin") --help --version" -- "$cur"))
		return
	fi

	# after `trace --`: the command and its own arguments
	if [[ $cmd == trace ]]; then
		for ((i = 2; i < cword; i++)); do
			if [[ ${words[i]} == -- ]]; then
				if ((i + 1 == cword)); then # the command; its arguments: files (-o default)
					COMPREPLY=($(compgen -c -- "$cur"))
				elif declare -F _command_offset >/dev/null; then
					_command_offset $((i + 1))
				fi
				return
			fi
		done
	fi

	case $prev in
	-o | --output | -S | --svg | -H | --html | -c | --claims)
		[[ $cmd == probe ]] || return # files: complete -o default
		;;
	-u | --user)
		COMPREPLY=($(compgen -u -- "$cur"))
		return
		;;
	-p | --pid)
		COMPREPLY=($(compgen -W "$(ps -eo pid= 2>/dev/null)" -- "${cur##*,}"))
		return
		;;
	-F | --figures)
		# the groups, as the binary's own refusal of an unknown one lists them
		local groups pre=""
		groups=$("$bin" trace -F '?' -- true 2>&1 | sed -n 's/.*(groups: \([^()]*\).*/\1/p' | tr ',;' '  ')
		[[ $cur == *,* ]] && pre=${cur%,*},
		COMPREPLY=($(compgen -P "$pre" -W "$groups" -- "${cur##*,}"))
		compopt -o nospace 2>/dev/null
		return
		;;
	-t | --to)
		local sc="" kinds
		for ((i = 2; i < cword; i++)); do
			[[ ${words[i]} != -* && ${words[i - 1]} != -[sbtoSW] &&
				${words[i - 1]} != --@(size|block|to|output|svg|sweep|repeat) ]] && sc=${words[i]} && break
		done
		kinds=$("$bin" run --help 2>/dev/null | awk -v s="$sc" '$1 == s {
			for (i = 2; i < NF; i++) if ($i == "--to") { gsub(/\|/, " ", $(i + 1)); print $(i + 1) } }')
		COMPREPLY=($(compgen -W "$kinds" -- "$cur"))
		return
		;;
	-W | --sweep)
		COMPREPLY=($(compgen -W "size= block=" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return
		;;
	-s | --size | -b | --block | -i | --interval | --repeat | --follow-timeout)
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_ipctrace_options "$bin" "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	run)
		COMPREPLY=($(compgen -W "$(_ipctrace_scenarios "$bin")" -- "$cur"))
		;;
	verify)
		COMPREPLY=($(compgen -W "$("$bin" verify --list 2>/dev/null | awk '{ print $1 }')
			$(_ipctrace_scenarios "$bin")" -- "$cur"))
		;;
	help)
		COMPREPLY=($(compgen -W "$(_ipctrace_commands "$bin")" -- "$cur"))
		;;
	esac # compare: files (complete -o default)
} &&
	complete -o bashdefault -o default -F _ipctrace ipctrace

# ex: filetype=sh
