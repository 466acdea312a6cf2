# Shared by install-agent.sh and install-hub.sh (sourced, not run). Every change goes through one of the functions
# below, so --dry-run can show it and a second run can find nothing to do.
#
# ROOT is the target filesystem ("/" on the station itself; a throwaway directory in tests/run.sh). DRY_RUN=1 prints
# each change as "would ..." and makes none. CHANGES counts them; CHANGED_WHAT names them for the final restart.

ROOT=/
DRY_RUN=0
CHANGES=0
CHANGED_WHAT=""
HERE=$(cd "$(dirname "$0")" && pwd)

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
note() { printf '  %s\n' "$*"; }

# target PATH: PATH inside ROOT.
target() { if [ "$ROOT" = / ]; then printf '%s' "$1"; else printf '%s%s' "${ROOT%/}" "$1"; fi; }
live() { [ "$ROOT" = / ]; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# change WHAT DESCRIPTION: records one change; returns 1 (do nothing) in a dry run.
change() {
  CHANGES=$((CHANGES + 1))
  CHANGED_WHAT="$CHANGED_WHAT $1"
  if [ "$DRY_RUN" -eq 1 ]; then printf 'would %s\n' "$2"; return 1; fi
  printf '%s\n' "$2"
  return 0
}

# id_in_root passwd|group NAME: the numeric id of NAME in ROOT's /etc/passwd or /etc/group (empty when absent).
id_in_root() {
  local file; file=$(target "/etc/$1")
  [ -f "$file" ] || return 0
  awk -F: -v name="$2" '$1 == name { print $3 }' "$file"
}

# owner_ok PATH USER GROUP: whether PATH is owned by USER:GROUP as ROOT names them (always true when not run as root,
# since then nothing can be chowned: a test run as a normal user against a throwaway root).
owner_ok() {
  is_root || return 0
  local uid gid; uid=$(id_in_root passwd "$2"); gid=$(id_in_root group "$3")
  [ -n "$uid" ] && [ -n "$gid" ] || return 1
  [ "$(stat -c '%u:%g' "$1")" = "$uid:$gid" ]
}

set_owner() {
  is_root || return 0
  local uid gid; uid=$(id_in_root passwd "$2"); gid=$(id_in_root group "$3")
  [ -n "$uid" ] && [ -n "$gid" ] || die "no user $2 or group $3 in $(target /etc/passwd)"
  chown "$uid:$gid" "$1"
}

# ensure_dir PATH MODE USER GROUP
ensure_dir() {
  local path; path=$(target "$1")
  if [ -d "$path" ] && [ "$(stat -c '%a' "$path")" = "${2#0}" ] && owner_ok "$path" "$3" "$4"; then return 0; fi
  change "$1" "create or fix directory $1 (mode $2, owner $3:$4)" || return 0
  mkdir -p "$path"
  chmod "$2" "$path"
  set_owner "$path" "$3" "$4"
}

# install_file SOURCE PATH MODE USER GROUP: copies SOURCE to PATH when the content, mode or owner differs.
install_file() {
  local path; path=$(target "$2")
  if [ -f "$path" ] && cmp -s "$1" "$path" && [ "$(stat -c '%a' "$path")" = "${3#0}" ] && owner_ok "$path" "$4" "$5"; then
    return 0
  fi
  local verb=install; [ -f "$path" ] && verb=update
  if ! change "$2" "$verb $2 (mode $3, owner $4:$5)"; then
    if [ -f "$path" ]; then diff -u "$path" "$1" | sed 's/^/    /' | head -40 || true; fi
    return 0
  fi
  mkdir -p "$(dirname "$path")"
  cp "$1" "$path.coldtrace-new"
  chmod "$3" "$path.coldtrace-new"
  set_owner "$path.coldtrace-new" "$4" "$5"
  mv -f "$path.coldtrace-new" "$path"
}

# install_text PATH MODE USER GROUP <<< TEXT: install_file for generated content.
install_text() {
  local source; source=$(mktemp)
  cat > "$source"
  install_file "$source" "$@"
  rm -f "$source"
}

# install_tree SOURCE_DIR PATH: the published program; replaced as a whole (old files removed) when anything differs.
install_tree() {
  local path; path=$(target "$2")
  if [ -d "$path" ] && diff -r -q "$1" "$path" >/dev/null 2>&1; then return 0; fi
  local count; count=$(find "$1" -type f | wc -l)
  change "$2" "install $2 from $1 ($count files)" || return 0
  rm -rf "$path.coldtrace-new" "$path.coldtrace-old"
  mkdir -p "$(dirname "$path")"
  mkdir "$path.coldtrace-new"
  cp -a "$1/." "$path.coldtrace-new/"
  chmod -R u=rwX,go=rX "$path.coldtrace-new"
  if is_root; then chown -R 0:0 "$path.coldtrace-new"; fi
  if [ -d "$path" ]; then mv "$path" "$path.coldtrace-old"; fi
  mv "$path.coldtrace-new" "$path"
  rm -rf "$path.coldtrace-old"
}

# ensure_line FILE LINE: appends LINE to FILE (e.g. config.txt) unless it is there already.
ensure_line() {
  local path; path=$(target "$1")
  grep -qxF -- "$2" "$path" && return 0
  change "$1" "append '$2' to $1" || return 0
  printf '%s\n' "$2" >> "$path"
}

# ensure_sysusers NAME: creates the users and groups of sysusers.d/NAME.conf in ROOT (systemd-sysusers(8)).
ensure_sysusers() {
  command -v systemd-sysusers >/dev/null || die "systemd-sysusers is missing (Debian package systemd)"
  local plan
  if [ -f "$(target "/etc/sysusers.d/$1.conf")" ]; then
    plan=$(systemd-sysusers --root="$ROOT" --dry-run "$1.conf" 2>&1 | grep -v '^Would write' || true)
  else
    plan="(new: $1.conf)"
  fi
  [ -z "$plan" ] && return 0
  change "sysusers" "create users and groups of /etc/sysusers.d/$1.conf" || { printf '%s\n' "$plan" | sed 's/^/    /'; return 0; }
  systemd-sysusers --root="$ROOT" "$1.conf" 2>&1 | grep -v '^Would write' | sed 's/^/  /' || true
}

# ensure_enabled UNIT: the [Install] symlinks (systemctl enable works offline with --root).
ensure_enabled() {
  if systemctl --root="$ROOT" is-enabled --quiet "$1" 2>/dev/null; then return 0; fi
  change "enable" "enable $1" || return 0
  systemctl --root="$ROOT" enable "$1" 2>&1 | sed 's/^/  /'
}

# The options both installers take: --binaries DIR, --config FILE, --dry-run, --root DIR.
parse_common() {
  BINARIES=""; CONFIG=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --binaries) [ $# -ge 2 ] || die "--binaries needs a directory"; BINARIES=$2; shift 2 ;;
      --config) [ $# -ge 2 ] || die "--config needs a file"; CONFIG=$2; shift 2 ;;
      --root) [ $# -ge 2 ] || die "--root needs a directory"; ROOT=$2; shift 2 ;;
      --root=*) ROOT=${1#--root=}; shift ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument $1" ;;
    esac
  done
  [ -d "$ROOT" ] || die "--root $ROOT is not a directory"
  ROOT=$(cd "$ROOT" && pwd)
  if live && ! is_root && [ "$DRY_RUN" -eq 0 ]; then die "run as root (or with --dry-run, or --root DIR for a throwaway root)"; fi
  if [ -n "$CONFIG" ]; then [ -f "$CONFIG" ] || die "--config $CONFIG does not exist"; fi
}

# Where program $1 (coldtrace-agent or coldtrace-hub) lives, and its published binaries checked; $2 names it for people.
program_paths() {
  USER_NAME=$1; PROGRAM=/opt/$1; ETC=/etc/$1; DATA=/var/lib/$1; UNIT=$1.service
  if [ -n "$BINARIES" ]; then
    [ -x "$BINARIES/$1" ] || die "$BINARIES/$1 is missing: give the dotnet publish output directory"
    BINARIES=$(cd "$BINARIES" && pwd -P)
  elif [ ! -x "$(target "$PROGRAM/$1")" ]; then
    die "first install: give --binaries DIR (the published $2)"
  fi
}

summary() {
  if [ "$CHANGES" -eq 0 ]; then echo "nothing to change"
  elif [ "$DRY_RUN" -eq 1 ]; then echo "dry run: would make $CHANGES changes"
  else echo "made $CHANGES changes"; fi
}

changed() { case " $CHANGED_WHAT " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
