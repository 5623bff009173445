#!/bin/sh
# Compiles the native AES-GCM kernel into the wire module's classes (called by Maven in generate-resources).
# Never fails the build: without gcc, JNI headers or an x86-64 Linux target it warns and leaves no library, and
# the project runs on the Java engine.
#   usage: build.sh JAVA_HOME SOURCE_FILE OUTPUT_LIBRARY
java_home="$1"
source_file="$2"
output="$3"

warn() {
  echo "[WARNING] native AES-GCM kernel not built: $*; the Java engine will be used" >&2
  rm -f "$output"
  exit 0
}

[ "$(uname -s)" = "Linux" ] || warn "not Linux"
case "$(uname -m)" in x86_64|amd64) ;; *) warn "not x86-64 ($(uname -m))" ;; esac
cc="${CC:-gcc}"
command -v "$cc" >/dev/null 2>&1 || warn "no C compiler ($cc)"
[ -f "$java_home/include/jni.h" ] || warn "no JNI headers in $java_home/include"

mkdir -p "$(dirname "$output")"
# Vector instruction sets are enabled per function in the source (#pragma GCC target), so the CPU check and the
# JNI glue stay plain x86-64 code that any CPU can run.
if ! "$cc" -std=gnu11 -O3 -fPIC -shared -Wall -Wextra -Werror -fvisibility=hidden \
    -I"$java_home/include" -I"$java_home/include/linux" -o "$output" "$source_file"; then
  warn "$cc failed on $source_file"
fi
