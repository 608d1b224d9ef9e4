// Shared by radix_count.comp and radix_scatter.comp. Two ways the host may leave a pass's data on the GPU:
// COUNT_IN_BUFFER: the number of keys is countSource[uCountIndex] (written by an earlier kernel) if it is within
//   uCount, the capacity the host dispatched for, else 0 (those keys were not written: the host redoes the frame);
//   the host then never reads the count back before sorting.
// SKIP_CONSTANT_DIGITS: keyBits holds the OR and AND of the keys that matter; a digit in which they agree is not
//   sorted but copied through (a stable pass over a digit equal in all keys moves nothing), so the host need not
//   read the bits back to leave such passes out.
#if COUNT_IN_BUFFER
layout(std430, binding = 5) readonly buffer CountSource { uint countSource[]; };
layout(location = 3) uniform uint uCountIndex;
#endif
#if SKIP_CONSTANT_DIGITS
layout(std430, binding = 6) readonly buffer KeyBits { uint anyOne; uint allOnes; };
#endif

uint keyCount() {
#if COUNT_IN_BUFFER
    uint n = countSource[uCountIndex];
    return n <= uCount ? n : 0u;
#else
    return uCount;
#endif
}

bool digitIsConstant() {
#if SKIP_CONSTANT_DIGITS
    return (((anyOne ^ allOnes) >> uShift) & ((1u << RADIX_BITS) - 1u)) == 0u;
#else
    return false;
#endif
}
