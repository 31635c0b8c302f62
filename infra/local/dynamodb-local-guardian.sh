#!/bin/sh
# Runs DynamoDB Local (java "$@") for exactly as long as the sandbox that started it: the sandbox
# holds the write end of this script's stdin, and when that closes (the sandbox stopped, crashed or
# was killed with SIGKILL) the watcher returns and Java is stopped. A plain child would outlive a
# killed sandbox and keep its port, and the next sandbox would find an old server there.
exec 3<&0
java "$@" </dev/null 3<&- &
java_pid=$!
# A background job's stdin is /dev/null unless given explicitly: the watcher reads the saved pipe.
cat <&3 >/dev/null 3<&- &
watcher_pid=$!
exec 3<&-
trap 'kill "$java_pid" "$watcher_pid" 2>/dev/null; wait "$java_pid" 2>/dev/null; exit 0' TERM INT HUP
wait "$watcher_pid"
kill "$java_pid" 2>/dev/null
wait "$java_pid" 2>/dev/null
