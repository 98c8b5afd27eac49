#!/usr/bin/env bash
# Runs a command and then says how long it took: `scripts/timed.sh NAME COMMAND...` prints
# `time: NAME N s` (`make test` marks its phases so), and exits with the command's status.
name=$1
shift
start=$SECONDS
"$@"
status=$?
echo "time: $name $((SECONDS - start)) s"
exit "$status"
