// Finite test on the bits (exponent all ones is NaN or infinity): unlike isnan/isinf, no driver's fast-math
// assumptions can fold it away.
bool isFiniteBits(float x) {
    return (floatBitsToUint(x) & 0x7f800000u) != 0x7f800000u;
}
