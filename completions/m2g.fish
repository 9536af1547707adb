# fish completion for an m2g tool; installed once per tool name. Words come from
# `m2g-TOOL --completion-helper`.

function __m2g_words
    set -l tokens (commandline -opc)
    set -l tool $tokens[1]
    set -l helper ($tool --completion-helper 2>/dev/null)
    set -l path .
    for word in $tokens[2..-1]
        for line in $helper
            if test (string split -m1 ' ' -- $line)[1] = $word
                set path $word
            end
        end
    end
    for line in $helper
        set -l parts (string split ' ' -- $line)
        if test $parts[1] = $path
            printf '%s\n' $parts[2..-1]
        end
    end
end

for tool in m2g-queue m2g-poll m2g-route m2g-limit m2g-llm m2g-commit m2g-progress m2g-bench m2g-bot
    complete -c $tool -a '(__m2g_words)'
end
