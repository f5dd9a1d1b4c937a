#!/usr/bin/env bash
# Builds a JRE base image for docker/Dockerfile from Debian's own packages, with no image registry:
# debootstrap makes a minimal Debian with openjdk-17-jre-headless, and `docker import` turns it into
# an image. Needs root, debootstrap (installed here when absent, on Debian) and a Debian mirror.
#
#   docker/build-base-image.sh                      # makes jvmpool/jre17-base:bookworm
#   docker build -f docker/Dockerfile --build-arg BASE_IMAGE=jvmpool/jre17-base:bookworm -t jvmpool .
#
# Environment: JVMPOOL_BASE_IMAGE (the tag to make), DEBIAN_MIRROR (default: the one apt uses here).
set -euo pipefail

image=${JVMPOOL_BASE_IMAGE:-jvmpool/jre17-base:bookworm}
log() { echo "build-base-image: $*" >&2; }

if docker image inspect "$image" >/dev/null 2>&1; then
  log "$image is already there"
  exit 0
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq debootstrap >/dev/null
fi
mirror=${DEBIAN_MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
mirror=${mirror:-http://deb.debian.org/debian}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
log "building $image from $mirror (a minute or two)"
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$root" "$mirror" >"$root.log" 2>&1 \
  || { log "debootstrap failed; its log:"; tail -30 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import - "$image" >/dev/null
log "made $image"
