#!/bin/sh
# Like the official registry:2 entrypoint: a config file argument means "serve it";
# anything else (garbage-collect, --version) goes to the registry binary as is.
set -e
case "$1" in
    *.yaml|*.yml) set -- docker-registry serve "$@" ;;
    serve|garbage-collect|help|-*) set -- docker-registry "$@" ;;
esac
exec "$@"
