// Float accumulation into GRADIENTS[] from many pixels at once. NV_shader_atomic_float (on the H100 and on Mesa
// llvmpipe) adds in hardware; elsewhere a compare-and-swap loop on the bits does the same, slower.
#ifdef HAS_ATOMIC_FLOAT
void addGradient(uint index, float value) {
    atomicAdd(GRADIENTS[index], value);
}
#else
void addGradient(uint index, float value) {
    uint expected = GRADIENTS[index];
    for (;;) {
        uint seen = atomicCompSwap(GRADIENTS[index], expected, floatBitsToUint(uintBitsToFloat(expected) + value));
        if (seen == expected) {
            break;
        }
        expected = seen;
    }
}
#endif
