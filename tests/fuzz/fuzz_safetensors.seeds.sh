#!/bin/sh
# Writes a few valid safetensors files into $1, the seed corpus of
# fuzz_safetensors: one per dtype family and layout quirk, so that the
# fuzzer starts from files that get past the header checks.
set -eu
out=$1
export LC_ALL=C

# The byte values are built as octal escapes, which only a format string
# expands; hence the variable formats.
# shellcheck disable=SC2059
le64() {   # an 8-byte little-endian integer
    n=$1 i=0
    while [ $i -lt 8 ]; do
        printf "\\$(printf %03o $((n % 256)))"
        n=$((n / 256)) i=$((i + 1))
    done
}

# shellcheck disable=SC2059
seed() {   # file json data_bytes: the data is a repeating pattern of bytes
    { le64 ${#2}; printf '%s' "$2"
      i=0; while [ $i -lt "$3" ]; do printf "\\$(printf %03o $(( (i * 37 + 60) % 256 )))"; i=$((i + 1)); done
    } > "$out/$1"
}

seed empty.st '{}' 0
seed meta.st '{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}' 16
seed floats.st '{"a":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[2,1],"data_offsets":[6,10]},"c":{"dtype":"F64","shape":[1],"data_offsets":[10,18]},"d":{"dtype":"F32","shape":[],"data_offsets":[18,22]}}' 22
seed ints.st '{"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"m":{"dtype":"BOOL","shape":[3],"data_offsets":[16,19]},"u":{"dtype":"U8","shape":[1],"data_offsets":[19,20]},"s":{"dtype":"I16","shape":[1],"data_offsets":[20,22]},"i":{"dtype":"I32","shape":[1],"data_offsets":[22,26]},"j":{"dtype":"I8","shape":[1],"data_offsets":[26,27]}}' 27
seed padded.st '{"e":{"dtype":"F32","shape":[0,4],"data_offsets":[4,4]},"x":{"dtype":"F32","shape":[1,1,1],"data_offsets":[8,12]}}     ' 16
seed bert.st '{"__metadata__":{"format":"pt"},"bert.embeddings.LayerNorm.weight":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"bert.embeddings.LayerNorm.bias":{"dtype":"F32","shape":[4],"data_offsets":[16,32]},"cls.predictions.bias":{"dtype":"F16","shape":[8],"data_offsets":[32,48]}}' 48
