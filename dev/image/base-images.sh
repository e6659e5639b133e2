#!/usr/bin/env bash
# Builds stand-ins for the Microsoft base images the Dockerfile names, from this machine alone,
# and tags them with exactly those names, so `podman build --pull=never` builds the Dockerfile as
# shipped (no registry here serves mcr.microsoft.com):
#
#   mcr.microsoft.com/dotnet/sdk:10.0     Debian bookworm minbase + all of this machine's .NET
#   mcr.microsoft.com/dotnet/aspnet:10.0  Debian bookworm minbase + its runtimes only (dotnet, host/, shared/)
#
# Both get libicu72, libssl3, tzdata, ca-certificates, this machine's CA certificates (NuGet's TLS
# goes through a proxy whose CA only this machine trusts), the "app" user (uid 1654) and
# ENV APP_UID=1654. docs/aws-deployment.md lists what differs from Microsoft's images.
#
# Cheap to run again: an image whose label cleancognito.standin matches the inputs' fingerprint
# (this script, the .NET folder's versions, the CA bundle) is kept. Needs root, debootstrap, podman.
#
#   dev/image/base-images.sh           # build what is missing or stale
#   dev/image/base-images.sh --force   # build both again
set -euo pipefail

sdk_tag=mcr.microsoft.com/dotnet/sdk:10.0
runtime_tag=mcr.microsoft.com/dotnet/aspnet:10.0
label=cleancognito.standin
suite=bookworm
packages=ca-certificates,libicu72,libssl3,tzdata
app_uid=1654

say() { printf '==> base-images: %s\n' "$*"; }
die() { printf 'base-images: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot). Run it as root or through ./test.sh as root."
for tool in debootstrap podman dotnet; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || die "$tool is missing (./test.sh installs podman, buildah and debootstrap)."
done
force=false
[ "${1:-}" = "--force" ] && force=true

# The folder `dotnet --info` reports ("Base Path: /usr/share/dotnet/sdk/10.0.401/" -> /usr/share/dotnet).
base_path=$(dotnet --info | sed -n 's/^ *Base Path: *//p' | head -n 1)
[ -n "$base_path" ] || die "dotnet --info reports no Base Path."
dotnet_root=$(cd "$base_path/../.." && pwd)
[ -x "$dotnet_root/dotnet" ] || die "no dotnet executable in $dotnet_root."

# The Debian mirror of this machine's apt sources (deb822 "URIs:" or a one-line "deb URI bookworm").
mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | awk '/^URIs:/ { uri = $2 } /^Suites:/ && / bookworm( |$)/ && uri ~ /debian\/?$/ { print uri; exit }')
if [ -z "$mirror" ]; then
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk '$1 == "deb" && $3 == "bookworm" && $2 ~ /debian\/?$/ { print $2; exit }')
fi
[ -n "$mirror" ] || die "no Debian bookworm mirror in /etc/apt/sources.list{,.d}."

ca_bundle=/etc/ssl/certs/ca-certificates.crt
[ -f "$ca_bundle" ] || die "$ca_bundle is missing (install ca-certificates)."

fingerprint=$( {
  cat "$0"
  echo "$mirror"
  ls "$dotnet_root/sdk" "$dotnet_root/shared"/* "$dotnet_root/host/fxr"
  cat "$ca_bundle"
} | sha256sum | cut -c1-16)

current() { [ "$(podman image inspect --format "{{index .Labels \"$label\"}}" "$1" 2>/dev/null)" = "$fingerprint" ]; }

# One builder at a time (./test.sh and the image test may both ask).
exec 9>/tmp/cleancognito-base-images.lock
flock --timeout 900 9 || die "another base-images.sh held the lock for 15 minutes."

if ! $force && current "$sdk_tag" && current "$runtime_tag"; then
  say "$sdk_tag and $runtime_tag are current ($fingerprint)"
  exit 0
fi

work=$(mktemp -d /var/tmp/cleancognito-base.XXXXXX)
cleanup() {
  for dir in "$work"/*/proc "$work"/*/sys; do
    mountpoint -q "$dir" && umount -l "$dir"
  done
  rm -rf "$work"
}
trap cleanup EXIT

root="$work/debian"
say "debootstrap --variant=minbase $suite from $mirror"
start=$SECONDS
debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)."; }
say "debootstrap took $((SECONDS - start)) s"

# The app user of Microsoft's images: uid/gid 1654, a home, no password.
chroot "$root" groupadd --gid "$app_uid" app
chroot "$root" useradd --uid "$app_uid" --gid "$app_uid" --create-home app
# This machine's CA certificates, as files (the machine's folder holds links into itself), plus the
# locally added ones, so a later update-ca-certificates inside a build keeps them.
rm -rf "$root/etc/ssl/certs"
cp -rL /etc/ssl/certs "$root/etc/ssl/certs"
if [ -d /usr/local/share/ca-certificates ]; then
  cp -rL /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
# As slim as Microsoft's: no package cache or lists (the Dockerfile runs apt-get update itself).
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/tmp/* "$root"/var/log/*.log
printf 'deb %s %s main\ndeb %s %s-updates main\n' "$mirror" "$suite" "$mirror" "$suite" >"$root/etc/apt/sources.list"

newest() { find "$1" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n 1; }
netcore=$(newest "$dotnet_root/shared/Microsoft.NETCore.App")
aspnet=$(newest "$dotnet_root/shared/Microsoft.AspNetCore.App")
sdk=$(newest "$dotnet_root/sdk")
common_changes=(
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  --change "ENV APP_UID=$app_uid"
  --change "ENV ASPNETCORE_HTTP_PORTS=8080"
  --change "ENV DOTNET_RUNNING_IN_CONTAINER=true"
  --change "ENV DOTNET_VERSION=$netcore"
  --change "ENV ASPNET_VERSION=$aspnet"
  --change "LABEL $label=$fingerprint"
)

# import DIR TAG [--change …]: the folder's tree becomes the image's one layer.
import() {
  local dir=$1 tag=$2 old
  shift 2
  old=$(podman image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
  tar --numeric-owner -C "$dir" -c . | podman import --quiet "$@" - "$tag" >/dev/null
  # The image this one replaces, unless an image built on it still needs it.
  if [ -n "$old" ]; then podman rmi "$old" >/dev/null 2>&1 || true; fi
  say "tagged $tag"
}

say "runtime image: Debian + dotnet, host/, shared/ ($netcore, ASP.NET Core $aspnet)"
mkdir -p "$root/usr/share/dotnet"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$root/usr/share/dotnet/"
ln -sf /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
import "$root" "$runtime_tag" "${common_changes[@]}"

say "SDK image: Debian + all of $dotnet_root (SDK $sdk)"
rm -rf "$root/usr/share/dotnet"
cp -a "$dotnet_root" "$root/usr/share/dotnet"
import "$root" "$sdk_tag" "${common_changes[@]}" \
  --change "ENV DOTNET_SDK_VERSION=$sdk" \
  --change "ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false" \
  --change "ENV DOTNET_USE_POLLING_FILE_WATCHER=true" \
  --change "ENV NUGET_XMLDOC_MODE=skip"

say "done in $((SECONDS - start)) s ($fingerprint)"
