// Thin shim over zlib (Debian: zlib1g-dev). Only PretextData/Ingestion/ByteSource.swift imports it.
#include <zlib.h>
