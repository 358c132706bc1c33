// Thin shim over XGBoost's C API (Debian: libxgboost-dev). Only
// PretextBaselines/XGBoostBooster.swift imports it.
#include <xgboost/c_api.h>
