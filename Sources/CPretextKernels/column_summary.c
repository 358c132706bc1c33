// See "Column summaries" in include/CPretextKernels.h.
#include "CPretextKernels.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// Eight floats per step as GCC/Clang vector extensions: two SSE registers on the x86-64
// baseline, one elsewhere when the target has 256-bit vectors; the comparisons give
// lanes of all ones (true) or zeros.
typedef float float8 __attribute__((vector_size(32)));
typedef int32_t int8v __attribute__((vector_size(32)));
typedef double double4 __attribute__((vector_size(32)));

pretext_float_statistics pretext_float_statistics_of(const float *values, long count) {
    float8 low = (float8){0} + INFINITY, high = (float8){0} - INFINITY;
    double4 sum_low = {0}, sum_high = {0};            // lanes 0–3 and 4–7, in double
    int8v present = {0}, zeros = {0}, fractional = {0};
    long index = 0;
    for (; index + 8 <= count; index += 8) {
        float8 value;
        memcpy(&value, values + index, sizeof value);  // unaligned load
        int8v is_present = value == value;             // false for NaN
        present -= is_present;
        zeros -= value == 0;
        float8 kept = (float8)((int8v)value & is_present);   // NaN → +0 for the sum
        sum_low += __builtin_convertvector(__builtin_shufflevector(kept, kept, 0, 1, 2, 3), double4);
        sum_high += __builtin_convertvector(__builtin_shufflevector(kept, kept, 4, 5, 6, 7), double4);
        int8v lower = value < low, higher = value > high;   // false for NaN: the bound stays
        low = (float8)(((int8v)value & lower) | ((int8v)low & ~lower));
        high = (float8)(((int8v)value & higher) | ((int8v)high & ~higher));
        // Below 2²³ a float is whole when truncation to int32 leaves it unchanged; at or
        // above (and ±∞) it always is, and NaN is not present: both are tested as 0.
        int8v small = (float8)((int8v)value & 0x7fffffff) < 8388608.0f;
        float8 checked = (float8)((int8v)value & small);
        fractional |= __builtin_convertvector(__builtin_convertvector(checked, int8v), float8) != checked;
    }
    pretext_float_statistics result = {0, 0, 0.0, INFINITY, -INFINITY, 1};
    int any_fractional = 0;
    for (int lane = 0; lane < 8; lane++) {
        result.present += present[lane];
        result.zeros += zeros[lane];
        any_fractional |= fractional[lane];
        if (low[lane] < result.low) result.low = low[lane];
        if (high[lane] > result.high) result.high = high[lane];
    }
    for (int lane = 0; lane < 4; lane++) result.sum += sum_low[lane];
    for (int lane = 0; lane < 4; lane++) result.sum += sum_high[lane];
    for (; index < count; index++) {
        float value = values[index];
        if (value != value) continue;
        result.present += 1;
        result.zeros += value == 0;
        result.sum += value;
        if (value < result.low) result.low = value;
        if (value > result.high) result.high = value;
        if (fabsf(value) < 8388608.0f && (float)(int32_t)value != value) any_fractional = 1;
    }
    result.integral = !any_fractional;
    return result;
}

// ---- Distinct values --------------------------------------------------------------------
//
// A hash set of bit patterns in buckets of 32 bytes (eight 32-bit or four 64-bit keys):
// a lookup compares the key with a whole bucket at once, so a repeated key — most of a
// column — costs one load, one vector compare and a well-predicted branch; a one-slot
// linear probe mispredicted on every collision and took twice as long on a column of
// 10,000 levels. A key goes into the first empty slot of its home bucket (the high bits
// of key·2⁶⁴/φ) or of the buckets after it; the table doubles when half full. All-ones
// marks an empty slot: it is a NaN's pattern, and NaN is never a key.

typedef uint32_t key32x8 __attribute__((vector_size(32)));
typedef uint64_t key64x4 __attribute__((vector_size(32)));

#define DEFINE_BUCKET_SET(NAME, KEY, BUCKET, LANES)                                                 \
    typedef struct { BUCKET *buckets; long mask; long count; } NAME;                                \
                                                                                                    \
    static long NAME##_home(KEY key, long mask) {                                                   \
        return (long)(((uint64_t)key * 0x9E3779B97F4A7C15ull) >> 24) & mask;                        \
    }                                                                                               \
                                                                                                    \
    static int NAME##_init(NAME *set, long bucket_count) {                                          \
        set->buckets = aligned_alloc(32, (size_t)bucket_count * sizeof(BUCKET));                    \
        if (!set->buckets) return 0;                                                                \
        memset(set->buckets, 0xff, (size_t)bucket_count * sizeof(BUCKET));                          \
        set->mask = bucket_count - 1;                                                               \
        set->count = 0;                                                                             \
        return 1;                                                                                   \
    }                                                                                               \
                                                                                                    \
    /* Puts `key` (known to be absent) in the first empty slot from its home bucket on. */          \
    static void NAME##_place(NAME *set, KEY key) {                                                  \
        long bucket = NAME##_home(key, set->mask);                                                  \
        for (;;) {                                                                                  \
            for (int lane = 0; lane < LANES; lane++) {                                              \
                if (set->buckets[bucket][lane] == (KEY)-1) { set->buckets[bucket][lane] = key; return; } \
            }                                                                                       \
            bucket = (bucket + 1) & set->mask;                                                      \
        }                                                                                           \
    }                                                                                               \
                                                                                                    \
    /* Room for `expected` keys in all at most half full; 0 when memory ran out. */                \
    static int NAME##_reserve(NAME *set, long expected) {                                           \
        long bucket_count = set->mask + 1;                                                          \
        long wanted = bucket_count;                                                                 \
        while (wanted * LANES < 2 * expected) wanted *= 2;                                          \
        if (wanted == bucket_count) return 1;                                                       \
        NAME grown;                                                                                 \
        if (!NAME##_init(&grown, wanted)) return 0;                                                 \
        for (long bucket = 0; bucket < bucket_count; bucket++)                                      \
            for (int lane = 0; lane < LANES; lane++)                                                \
                if (set->buckets[bucket][lane] != (KEY)-1) NAME##_place(&grown, set->buckets[bucket][lane]); \
        grown.count = set->count;                                                                   \
        free(set->buckets);                                                                         \
        *set = grown;                                                                               \
        return 1;                                                                                   \
    }                                                                                               \
                                                                                                    \
    /* Adds `key` if new; 0 when memory ran out. */                                                 \
    static inline int NAME##_insert(NAME *set, KEY key) {                                           \
        BUCKET wanted = (BUCKET){0} + key;                                                          \
        long bucket = NAME##_home(key, set->mask);                                                  \
        for (;;) {                                                                                  \
            BUCKET held = set->buckets[bucket];                                                     \
            if (__builtin_reduce_or(held == wanted)) return 1;                                      \
            if (__builtin_reduce_or(held == (BUCKET){0} + (KEY)-1)) break;                          \
            bucket = (bucket + 1) & set->mask;                                                      \
        }                                                                                           \
        NAME##_place(set, key);                                                                     \
        set->count += 1;                                                                            \
        return 2 * set->count <= (set->mask + 1) * LANES || NAME##_reserve(set, set->count + 1);    \
    }

DEFINE_BUCKET_SET(set32, uint32_t, key32x8, 8)
DEFINE_BUCKET_SET(set64, uint64_t, key64x4, 4)

long pretext_count_distinct_floats(const float *values, long count, long limit, pretext_float_statistics statistics) {
    // Whole numbers in a range below 2¹⁶ (counts, codes, booleans): one byte per value of
    // the range, set without a branch (a missing value sets the byte past the range).
    double range = (double)statistics.high - (double)statistics.low;
    if (statistics.present > 0 && statistics.integral && range < 65536) {
        long span = (long)range + 1;
        unsigned char *seen = calloc((size_t)span + 1, 1);
        if (!seen) return -1;
        float low = statistics.low;
        for (long index = 0; index < count; index++) {
            float value = values[index];
            seen[value == value ? (long)(value - low) : span] = 1;
        }
        long distinct = 0;
        for (long slot = 0; slot < span; slot++) distinct += seen[slot];
        free(seen);
        return distinct;
    }
    set32 set;
    if (!set32_init(&set, 128)) return -1;
    long looked_at = 0;
    for (long index = 0; index < count && set.count <= limit; index++) {
        float value = values[index];
        if (value != value) continue;
        uint32_t key;
        if (value == 0) value = 0;                     // −0 counts as 0
        memcpy(&key, &value, sizeof key);
        if (!set32_insert(&set, key)) { free(set.buckets); return -1; }
        // A column whose first 4,096 present values were (nearly) all distinct is sized
        // for the limit at once, so it pays no growths; otherwise the table grows as
        // values come (10,000 levels then probe 64 KB, within a core's L2, not megabytes).
        looked_at += 1;
        if (looked_at == 4096 && 16 * set.count >= 15 * looked_at && statistics.present > 2 * looked_at) {
            // present ≤ limit, or limit < LONG_MAX and limit + 1 does not overflow
            long expected = statistics.present <= limit ? statistics.present : limit + 1;
            if (!set32_reserve(&set, expected)) { free(set.buckets); return -1; }
        }
    }
    free(set.buckets);
    return set.count;
}

long pretext_count_distinct_doubles(const double *values, long count, long limit) {
    set64 set;
    if (!set64_init(&set, 256)) return -1;
    for (long index = 0; index < count && set.count <= limit; index++) {
        double value = values[index];
        if (value != value) continue;
        uint64_t key;
        if (value == 0) value = 0;                     // −0 counts as 0
        memcpy(&key, &value, sizeof key);
        if (!set64_insert(&set, key)) { free(set.buckets); return -1; }
    }
    free(set.buckets);
    return set.count;
}
