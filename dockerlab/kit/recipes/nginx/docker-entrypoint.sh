#!/bin/sh
# The kit's take on the official nginx image's /docker-entrypoint.sh: when the command is
# nginx (or nginx-debug), run the executable /docker-entrypoint.d/*.sh in order, saying so on
# stdout (silenced by NGINX_ENTRYPOINT_QUIET_LOGS); then, whatever the command, exec it, so it
# becomes PID 1 and gets the stop signal. `docker run nginx:1.25 echo hi` just prints hi.
set -e
say() {
    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then echo "$0: $*"; fi
}
case "$1" in
    nginx|nginx-debug)
        scripts=$(find /docker-entrypoint.d/ -mindepth 1 -maxdepth 1 -type f 2>/dev/null | sort -n)
        if [ -z "$scripts" ]; then
            say "No files found in /docker-entrypoint.d/, skipping configuration"
        else
            say "/docker-entrypoint.d/ is not empty, will attempt to perform configuration"
            say "Looking for shell scripts in /docker-entrypoint.d/"
            for f in $scripts; do
                case "$f" in
                    *.sh) if [ -x "$f" ]; then say "Launching $f"; "$f"; else say "Ignoring $f, not executable"; fi ;;
                    *) say "Ignoring $f" ;;
                esac
            done
            say "Configuration complete; ready for start up"
        fi
        ;;
esac
exec "$@"
