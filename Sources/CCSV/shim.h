// Thin shim over libcsv (Debian: libcsv-dev). Only PretextData/Ingestion/LibCSV.swift imports it.
#include <csv.h>
