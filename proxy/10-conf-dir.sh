#!/bin/sh
# Runs before the image's envsubst step (20-…): the template is rendered into /tmp/conf.d,
# which must exist, since the root filesystem is read-only and /tmp is an empty tmpfs.
mkdir -p "${NGINX_ENVSUBST_OUTPUT_DIR:-/tmp/conf.d}"
