#!/bin/sh
# A container has no init: packages must not try to start their services while a
# Dockerfile installs them (same as the official Debian images).
exit 101
