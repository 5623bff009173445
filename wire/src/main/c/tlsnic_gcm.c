/*
 * tlsnic native AES-GCM kernel: the per-record streaming state of the inline engine (AesGcmStream), driven one
 * TCP segment at a time through JNI.
 *
 * Bulk data goes through one pass per 256-byte chunk (16 blocks): the CTR keystream is computed with VAES on four
 * zmm registers (4 blocks each, 16 in flight) while GHASH runs over the same chunk's ciphertext with VPCLMULQDQ,
 * every block multiplied by its own precomputed power of H and the 16 products reduced once. Partial chunks use
 * the same code under AVX-512 byte masks, so an arbitrary split costs no separate scalar path; a block cut by a
 * segment boundary keeps its keystream and its ciphertext bytes in the state until the next call completes it.
 *
 * GHASH representation (as in the Linux x86 AES-GCM code): blocks are byte-reflected into registers, and H is
 * stored multiplied by x^-1 (a 1-bit left shift with a conditional XOR of 0xc2..01), so that a carry-less product
 * folded twice by x^63 + x^62 + x^57 (the constant 0xc2 << 56) gives the GF(2^128) product in the same form.
 *
 * Everything vector lives between the "target" pragmas; the CPU check and the JNI glue outside them run on any
 * x86-64, and the Java side calls into the kernel only after gcmCpuSupported() said yes.
 */
#include <cpuid.h>
#include <immintrin.h>
#include <jni.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_LENGTH 16
#define CHUNK_BLOCKS 16
#define CHUNK_LENGTH (CHUNK_BLOCKS * BLOCK_LENGTH)
#define NONCE_LENGTH 12

/* Live states, so tests can check that every state they made was freed. */
static atomic_long liveStates;

typedef struct GcmState
{
    /* AES round keys, 11 (AES-128) or 15 (AES-256) used. */
    __m128i roundKeys[15];
    /* hPowers[i] = H^(16 - i) for i < 16 and zero above: block j of n is multiplied by hPowers[16 - n + j]. */
    __m128i hPowers[2 * CHUNK_BLOCKS];
    /* The next counter block, byte-reflected: its big-endian 32-bit counter is the low dword. */
    __m128i counter;
    __m128i encryptedJ0;
    /* GHASH accumulator, byte-reflected. */
    __m128i hash;
    /* Keystream and ciphertext of the block a segment boundary cut; valid up to textLength % 16, zero above. */
    __m128i keystream;
    __m128i partialCiphertext;
    uint64_t aadLength;
    uint64_t textLength;
    int rounds;
    int encrypt;
} GcmState;

/* ---------------------------------------------------------------------------------------------------------- */
/* CPU check: plain x86-64 code.                                                                              */
/* ---------------------------------------------------------------------------------------------------------- */

static int gcmCpuSupported(void)
{
    unsigned int eax;
    unsigned int ebx;
    unsigned int ecx;
    unsigned int edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
    {
        return 0;
    }
    const int aes = (ecx >> 25) & 1;
    const int pclmul = (ecx >> 1) & 1;
    const int osxsave = (ecx >> 27) & 1;
    if (!aes || !pclmul || !osxsave)
    {
        return 0;
    }
    unsigned int xcr0Low;
    unsigned int xcr0High;
    __asm__ volatile("xgetbv" : "=a"(xcr0Low), "=d"(xcr0High) : "c"(0));
    /* The OS must save SSE, AVX, opmask and both halves of the zmm state. */
    if ((xcr0Low & 0xe6) != 0xe6)
    {
        return 0;
    }
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
    {
        return 0;
    }
    const int avx2 = (ebx >> 5) & 1;
    const int avx512f = (ebx >> 16) & 1;
    const int avx512bw = (ebx >> 30) & 1;
    const int avx512vl = (ebx >> 31) & 1;
    const int vaes = (ecx >> 9) & 1;
    const int vpclmulqdq = (ecx >> 10) & 1;
    return avx2 && avx512f && avx512bw && avx512vl && vaes && vpclmulqdq;
}

/* The check done once: cpuid traps to the hypervisor in a VM (microseconds), and states are made per flow. */
static int cpuChecked(void)
{
    static atomic_int supported = -1;
    int value = atomic_load(&supported);
    if (value < 0)
    {
        value = gcmCpuSupported();
        atomic_store(&supported, value);
    }
    return value;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* The kernel: AES-NI, PCLMULQDQ, AVX-512 (F, BW, VL), VAES, VPCLMULQDQ.                                      */
/* ---------------------------------------------------------------------------------------------------------- */

#pragma GCC push_options
#pragma GCC target("aes,pclmul,avx2,avx512f,avx512bw,avx512vl,vaes,vpclmulqdq")

static inline __m128i reverseBytesMask(void)
{
    return _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}

static inline __m128i aesBlock(const GcmState* s, __m128i block)
{
    block = _mm_xor_si128(block, s->roundKeys[0]);
    for (int r = 1; r < s->rounds; r++)
    {
        block = _mm_aesenc_si128(block, s->roundKeys[r]);
    }
    return _mm_aesenclast_si128(block, s->roundKeys[s->rounds]);
}

/* One step of the AES key expansion: each word XORs all words before it, then the assisted word. */
static inline __m128i expandStep(__m128i key, const __m128i assisted)
{
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    return _mm_xor_si128(key, assisted);
}

#define EXPAND_128(i, rcon) \
    rk[i] = expandStep(rk[(i) - 1], _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[(i) - 1], rcon), 0xff))

#define EXPAND_256(i, rcon) \
    rk[i] = expandStep(rk[(i) - 2], _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[(i) - 1], rcon), 0xff)); \
    if ((i) + 1 < 15) \
    { \
        rk[(i) + 1] = expandStep(rk[(i) - 1], _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[i], 0), 0xaa)); \
    }

static void expandKey(GcmState* s, const uint8_t* key, const int keyLength)
{
    __m128i* rk = s->roundKeys;
    rk[0] = _mm_loadu_si128((const __m128i*)key);
    if (keyLength == 16)
    {
        s->rounds = 10;
        EXPAND_128(1, 0x01);
        EXPAND_128(2, 0x02);
        EXPAND_128(3, 0x04);
        EXPAND_128(4, 0x08);
        EXPAND_128(5, 0x10);
        EXPAND_128(6, 0x20);
        EXPAND_128(7, 0x40);
        EXPAND_128(8, 0x80);
        EXPAND_128(9, 0x1b);
        EXPAND_128(10, 0x36);
    }
    else
    {
        s->rounds = 14;
        rk[1] = _mm_loadu_si128((const __m128i*)(key + 16));
        EXPAND_256(2, 0x01);
        EXPAND_256(4, 0x02);
        EXPAND_256(6, 0x04);
        EXPAND_256(8, 0x08);
        EXPAND_256(10, 0x10);
        EXPAND_256(12, 0x20);
        EXPAND_256(14, 0x40);
    }
}

/* Reduces the 256-bit carry-less product lo + mi * x^64 + hi * x^128 to 128 bits (two folds by 0xc2 << 56). */
static inline __m128i ghashReduce(__m128i lo, __m128i mi, __m128i hi)
{
    const __m128i poly = _mm_set_epi64x((long long)0xc200000000000000ULL, 1);
    __m128i folded = _mm_clmulepi64_si128(lo, poly, 0x10);
    lo = _mm_shuffle_epi32(lo, 0x4e);
    mi = _mm_ternarylogic_epi64(mi, lo, folded, 0x96);
    folded = _mm_clmulepi64_si128(mi, poly, 0x10);
    mi = _mm_shuffle_epi32(mi, 0x4e);
    return _mm_ternarylogic_epi64(hi, mi, folded, 0x96);
}

static inline __m128i ghashMultiply(const __m128i a, const __m128i b)
{
    const __m128i lo = _mm_clmulepi64_si128(a, b, 0x00);
    const __m128i mi = _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x01), _mm_clmulepi64_si128(a, b, 0x10));
    const __m128i hi = _mm_clmulepi64_si128(a, b, 0x11);
    return ghashReduce(lo, mi, hi);
}

/* hash = (hash + block) * H for one byte-reflected block. */
static inline __m128i ghashOne(const GcmState* s, const __m128i hash, const __m128i reflectedBlock)
{
    return ghashMultiply(_mm_xor_si128(hash, reflectedBlock), s->hPowers[CHUNK_BLOCKS - 1]);
}

/* Accumulates the unreduced products of four blocks with four powers of H. */
static inline void ghashMultiplyWide(
    const __m512i x, const __m512i h, __m512i* lo, __m512i* mi, __m512i* hi)
{
    *lo = _mm512_xor_si512(*lo, _mm512_clmulepi64_epi128(x, h, 0x00));
    *mi = _mm512_ternarylogic_epi64(
        *mi, _mm512_clmulepi64_epi128(x, h, 0x01), _mm512_clmulepi64_epi128(x, h, 0x10), 0x96);
    *hi = _mm512_xor_si512(*hi, _mm512_clmulepi64_epi128(x, h, 0x11));
}

static inline __m128i foldLanes(const __m512i v)
{
    const __m256i y = _mm256_xor_si256(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));
    return _mm_xor_si128(_mm256_castsi256_si128(y), _mm256_extracti128_si256(y, 1));
}

/*
 * hash = (...((hash + X0) * H + X1) * H ... + X(n-1)) * H for n = 1..16 byte-reflected blocks held in four zmm
 * registers (zero beyond block n), as hash * H^n + X0 * H^n + X1 * H^(n-1) + ... + X(n-1) * H: one reduction.
 */
static inline __m128i ghashChunk(
    const GcmState* s, const __m128i hash, __m512i d0, const __m512i d1, const __m512i d2, const __m512i d3,
    const unsigned n)
{
    const __m128i* powers = &s->hPowers[CHUNK_BLOCKS - n];
    __m512i lo = _mm512_setzero_si512();
    __m512i mi = _mm512_setzero_si512();
    __m512i hi = _mm512_setzero_si512();
    d0 = _mm512_xor_si512(d0, _mm512_inserti32x4(_mm512_setzero_si512(), hash, 0));
    ghashMultiplyWide(d0, _mm512_loadu_si512((const void*)powers), &lo, &mi, &hi);
    if (n > 4)
    {
        ghashMultiplyWide(d1, _mm512_loadu_si512((const void*)(powers + 4)), &lo, &mi, &hi);
    }
    if (n > 8)
    {
        ghashMultiplyWide(d2, _mm512_loadu_si512((const void*)(powers + 8)), &lo, &mi, &hi);
    }
    if (n > 12)
    {
        ghashMultiplyWide(d3, _mm512_loadu_si512((const void*)(powers + 12)), &lo, &mi, &hi);
    }
    return ghashReduce(foldLanes(lo), foldLanes(mi), foldLanes(hi));
}

/* The mask of the bytes of a chunk's zmm register {@code index} (0..3) that lie among its first {@code bytes}. */
static inline __mmask64 byteMask(const size_t bytes, const unsigned index)
{
    const size_t first = (size_t)index * 64;
    if (bytes >= first + 64)
    {
        return ~(__mmask64)0;
    }
    if (bytes <= first)
    {
        return 0;
    }
    return ((__mmask64)1 << (bytes - first)) - 1;
}

static inline void aesOne(const GcmState* s, __m512i* b)
{
    *b = _mm512_xor_si512(*b, _mm512_broadcast_i32x4(s->roundKeys[0]));
    for (int r = 1; r < s->rounds; r++)
    {
        *b = _mm512_aesenc_epi128(*b, _mm512_broadcast_i32x4(s->roundKeys[r]));
    }
    *b = _mm512_aesenclast_epi128(*b, _mm512_broadcast_i32x4(s->roundKeys[s->rounds]));
}

static inline void aesWide(const GcmState* s, __m512i* b0, __m512i* b1, __m512i* b2, __m512i* b3)
{
    __m512i k = _mm512_broadcast_i32x4(s->roundKeys[0]);
    *b0 = _mm512_xor_si512(*b0, k);
    *b1 = _mm512_xor_si512(*b1, k);
    *b2 = _mm512_xor_si512(*b2, k);
    *b3 = _mm512_xor_si512(*b3, k);
    for (int r = 1; r < s->rounds; r++)
    {
        k = _mm512_broadcast_i32x4(s->roundKeys[r]);
        *b0 = _mm512_aesenc_epi128(*b0, k);
        *b1 = _mm512_aesenc_epi128(*b1, k);
        *b2 = _mm512_aesenc_epi128(*b2, k);
        *b3 = _mm512_aesenc_epi128(*b3, k);
    }
    k = _mm512_broadcast_i32x4(s->roundKeys[s->rounds]);
    *b0 = _mm512_aesenclast_epi128(*b0, k);
    *b1 = _mm512_aesenclast_epi128(*b1, k);
    *b2 = _mm512_aesenclast_epi128(*b2, k);
    *b3 = _mm512_aesenclast_epi128(*b3, k);
}

/* The 16-byte lane {@code lane} (0..3) of a zmm register. */
static inline __m128i laneOf(const __m512i v, const unsigned lane)
{
    const __m512i index = _mm512_set_epi64(0, 0, 0, 0, 0, 0, 2 * lane + 1, 2 * lane);
    return _mm512_castsi512_si128(_mm512_permutexvar_epi64(index, v));
}

/*
 * The keystream of the 16 blocks from the state's counter on (the caller advances the counter); when the chunk
 * needs only its first 4 blocks ({@code groups} = 1) the other three registers are left unencrypted.
 */
static inline void keystreamChunk(
    const GcmState* s, const unsigned groups, __m512i* k0, __m512i* k1, __m512i* k2, __m512i* k3)
{
    const __m512i reverse = _mm512_broadcast_i32x4(reverseBytesMask());
    const __m512i laneSteps = _mm512_set_epi32(0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0);
    const __m512i four = _mm512_set_epi32(0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4);
    __m512i counters = _mm512_add_epi32(_mm512_broadcast_i32x4(s->counter), laneSteps);
    *k0 = _mm512_shuffle_epi8(counters, reverse);
    counters = _mm512_add_epi32(counters, four);
    *k1 = _mm512_shuffle_epi8(counters, reverse);
    counters = _mm512_add_epi32(counters, four);
    *k2 = _mm512_shuffle_epi8(counters, reverse);
    counters = _mm512_add_epi32(counters, four);
    *k3 = _mm512_shuffle_epi8(counters, reverse);
    if (groups <= 1)
    {
        aesOne(s, k0);
    }
    else
    {
        aesWide(s, k0, k1, k2, k3);
    }
}

/*
 * One chunk of at most 256 bytes starting on a block boundary: keystream and GHASH in one pass. Whole blocks are
 * hashed here; a trailing partial block leaves its keystream and ciphertext in the state.
 */
static inline __attribute__((always_inline)) void gcmChunk(
    GcmState* s, const uint8_t* in, uint8_t* out, const size_t bytes)
{
    const __m512i reverse = _mm512_broadcast_i32x4(reverseBytesMask());
    const unsigned whole = (unsigned)(bytes / BLOCK_LENGTH);
    const unsigned tail = (unsigned)(bytes % BLOCK_LENGTH);
    const size_t wholeBytes = (size_t)whole * BLOCK_LENGTH;

    const __m512i x0 = _mm512_maskz_loadu_epi8(byteMask(bytes, 0), in);
    const __m512i x1 = _mm512_maskz_loadu_epi8(byteMask(bytes, 1), in + 64);
    const __m512i x2 = _mm512_maskz_loadu_epi8(byteMask(bytes, 2), in + 128);
    const __m512i x3 = _mm512_maskz_loadu_epi8(byteMask(bytes, 3), in + 192);

    if (!s->encrypt)
    {
        // The hash runs over the ciphertext, which is the input here: take it before an in-place store.
        if (whole > 0)
        {
            s->hash = ghashChunk(s, s->hash,
                _mm512_shuffle_epi8(_mm512_maskz_mov_epi8(byteMask(wholeBytes, 0), x0), reverse),
                _mm512_shuffle_epi8(_mm512_maskz_mov_epi8(byteMask(wholeBytes, 1), x1), reverse),
                _mm512_shuffle_epi8(_mm512_maskz_mov_epi8(byteMask(wholeBytes, 2), x2), reverse),
                _mm512_shuffle_epi8(_mm512_maskz_mov_epi8(byteMask(wholeBytes, 3), x3), reverse),
                whole);
        }
    }

    __m512i k0;
    __m512i k1;
    __m512i k2;
    __m512i k3;
    keystreamChunk(s, (unsigned)((bytes + 63) / 64), &k0, &k1, &k2, &k3);

    const __m512i y0 = _mm512_xor_si512(x0, k0);
    const __m512i y1 = _mm512_xor_si512(x1, k1);
    const __m512i y2 = _mm512_xor_si512(x2, k2);
    const __m512i y3 = _mm512_xor_si512(x3, k3);
    _mm512_mask_storeu_epi8(out, byteMask(bytes, 0), y0);
    _mm512_mask_storeu_epi8(out + 64, byteMask(bytes, 1), y1);
    _mm512_mask_storeu_epi8(out + 128, byteMask(bytes, 2), y2);
    _mm512_mask_storeu_epi8(out + 192, byteMask(bytes, 3), y3);

    if (s->encrypt)
    {
        if (whole > 0)
        {
            s->hash = ghashChunk(s, s->hash,
                _mm512_shuffle_epi8(_mm512_maskz_mov_epi8(byteMask(wholeBytes, 0), y0), reverse),
                _mm512_shuffle_epi8(_mm512_maskz_mov_epi8(byteMask(wholeBytes, 1), y1), reverse),
                _mm512_shuffle_epi8(_mm512_maskz_mov_epi8(byteMask(wholeBytes, 2), y2), reverse),
                _mm512_shuffle_epi8(_mm512_maskz_mov_epi8(byteMask(wholeBytes, 3), y3), reverse),
                whole);
        }
    }

    if (tail > 0)
    {
        // Keep the cut block's keystream and ciphertext (zero beyond the tail) for the next call.
        const unsigned group = whole / 4;
        const __m512i keys = group == 0 ? k0 : group == 1 ? k1 : group == 2 ? k2 : k3;
        const __m512i texts = s->encrypt ? (group == 0 ? y0 : group == 1 ? y1 : group == 2 ? y2 : y3)
            : (group == 0 ? x0 : group == 1 ? x1 : group == 2 ? x2 : x3);
        s->keystream = laneOf(keys, whole % 4);
        s->partialCiphertext = _mm_maskz_mov_epi8((__mmask16)((1u << tail) - 1), laneOf(texts, whole % 4));
    }
    s->counter = _mm_add_epi32(s->counter, _mm_set_epi32(0, 0, 0, (int)(whole + (tail > 0 ? 1 : 0))));
}

/*
 * Encrypts {@code chunks} (at least 2) whole chunks, hashing each chunk's ciphertext while the next chunk's
 * keystream is computed, so the AES and GHASH chains of one loop iteration do not wait for each other.
 */
static inline void encryptChunks(GcmState* s, const uint8_t* in, uint8_t* out, const size_t chunks)
{
    const __m512i reverse = _mm512_broadcast_i32x4(reverseBytesMask());
    const __m128i sixteen = _mm_set_epi32(0, 0, 0, CHUNK_BLOCKS);
    __m512i k0;
    __m512i k1;
    __m512i k2;
    __m512i k3;
    keystreamChunk(s, 4, &k0, &k1, &k2, &k3);
    s->counter = _mm_add_epi32(s->counter, sixteen);
    __m512i c0 = _mm512_xor_si512(_mm512_loadu_si512((const void*)in), k0);
    __m512i c1 = _mm512_xor_si512(_mm512_loadu_si512((const void*)(in + 64)), k1);
    __m512i c2 = _mm512_xor_si512(_mm512_loadu_si512((const void*)(in + 128)), k2);
    __m512i c3 = _mm512_xor_si512(_mm512_loadu_si512((const void*)(in + 192)), k3);
    _mm512_storeu_si512((void*)out, c0);
    _mm512_storeu_si512((void*)(out + 64), c1);
    _mm512_storeu_si512((void*)(out + 128), c2);
    _mm512_storeu_si512((void*)(out + 192), c3);
    for (size_t i = 1; i < chunks; i++)
    {
        const uint8_t* src = in + i * CHUNK_LENGTH;
        uint8_t* dst = out + i * CHUNK_LENGTH;
        keystreamChunk(s, 4, &k0, &k1, &k2, &k3);
        s->counter = _mm_add_epi32(s->counter, sixteen);
        s->hash = ghashChunk(s, s->hash, _mm512_shuffle_epi8(c0, reverse), _mm512_shuffle_epi8(c1, reverse),
            _mm512_shuffle_epi8(c2, reverse), _mm512_shuffle_epi8(c3, reverse), CHUNK_BLOCKS);
        c0 = _mm512_xor_si512(_mm512_loadu_si512((const void*)src), k0);
        c1 = _mm512_xor_si512(_mm512_loadu_si512((const void*)(src + 64)), k1);
        c2 = _mm512_xor_si512(_mm512_loadu_si512((const void*)(src + 128)), k2);
        c3 = _mm512_xor_si512(_mm512_loadu_si512((const void*)(src + 192)), k3);
        _mm512_storeu_si512((void*)dst, c0);
        _mm512_storeu_si512((void*)(dst + 64), c1);
        _mm512_storeu_si512((void*)(dst + 128), c2);
        _mm512_storeu_si512((void*)(dst + 192), c3);
    }
    s->hash = ghashChunk(s, s->hash, _mm512_shuffle_epi8(c0, reverse), _mm512_shuffle_epi8(c1, reverse),
        _mm512_shuffle_epi8(c2, reverse), _mm512_shuffle_epi8(c3, reverse), CHUNK_BLOCKS);
}

static void gcmInit(GcmState* s, const uint8_t* key, const int keyLength)
{
    memset(s, 0, sizeof(*s));
    expandKey(s, key, keyLength);
    const __m128i h = _mm_shuffle_epi8(aesBlock(s, _mm_setzero_si128()), reverseBytesMask());
    // H * x^-1: shift the 128-bit value left by one and fold the carried-out bit back with 0xc2..01.
    uint64_t halves[2];
    _mm_storeu_si128((__m128i*)halves, h);
    const uint64_t carry = halves[1] >> 63;
    halves[1] = (halves[1] << 1) | (halves[0] >> 63);
    halves[0] = halves[0] << 1;
    if (carry)
    {
        halves[1] ^= 0xc200000000000000ULL;
        halves[0] ^= 1;
    }
    const __m128i h1 = _mm_loadu_si128((const __m128i*)halves);
    s->hPowers[CHUNK_BLOCKS - 1] = h1;
    for (int i = CHUNK_BLOCKS - 2; i >= 0; i--)
    {
        s->hPowers[i] = ghashMultiply(s->hPowers[i + 1], h1);
    }
    halves[0] = 0;
    halves[1] = 0;
    __asm__ volatile("" : : "r"(halves) : "memory");
}

static void gcmStart(
    GcmState* s, const int encrypt, const uint8_t* nonce, const uint8_t* aad, const size_t aadLength)
{
    uint8_t j0[BLOCK_LENGTH] = {0};
    memcpy(j0, nonce, NONCE_LENGTH);
    j0[15] = 1;
    const __m128i block = _mm_loadu_si128((const __m128i*)j0);
    s->encryptedJ0 = aesBlock(s, block);
    s->counter = _mm_add_epi32(_mm_shuffle_epi8(block, reverseBytesMask()), _mm_set_epi32(0, 0, 0, 1));
    s->hash = _mm_setzero_si128();
    s->aadLength = aadLength;
    s->textLength = 0;
    s->encrypt = encrypt;

    const __m512i reverse = _mm512_broadcast_i32x4(reverseBytesMask());
    for (size_t done = 0; done < aadLength; done += CHUNK_LENGTH)
    {
        const size_t bytes = aadLength - done < CHUNK_LENGTH ? aadLength - done : CHUNK_LENGTH;
        const uint8_t* p = aad + done;
        // A partial last block is hashed zero-padded, which the masked loads give for free.
        s->hash = ghashChunk(s, s->hash,
            _mm512_shuffle_epi8(_mm512_maskz_loadu_epi8(byteMask(bytes, 0), p), reverse),
            _mm512_shuffle_epi8(_mm512_maskz_loadu_epi8(byteMask(bytes, 1), p + 64), reverse),
            _mm512_shuffle_epi8(_mm512_maskz_loadu_epi8(byteMask(bytes, 2), p + 128), reverse),
            _mm512_shuffle_epi8(_mm512_maskz_loadu_epi8(byteMask(bytes, 3), p + 192), reverse),
            (unsigned)((bytes + BLOCK_LENGTH - 1) / BLOCK_LENGTH));
    }
}

static void gcmUpdate(GcmState* s, const uint8_t* in, uint8_t* out, const size_t length)
{
    size_t done = 0;
    const unsigned position = (unsigned)(s->textLength % BLOCK_LENGTH);
    s->textLength += length;
    if (position != 0)
    {
        // Finish the block the previous call cut with its kept keystream: lanes position.. of a block that
        // starts position bytes before the input (masked-out lanes are never read or written).
        const size_t take = length < BLOCK_LENGTH - position ? length : BLOCK_LENGTH - position;
        const __mmask16 lanes = (__mmask16)(((1u << take) - 1) << position);
        const __m128i x = _mm_maskz_loadu_epi8(lanes, in - position);
        const __m128i y = _mm_xor_si128(x, s->keystream);
        _mm_mask_storeu_epi8(out - position, lanes, y);
        s->partialCiphertext = _mm_mask_mov_epi8(s->partialCiphertext, lanes, s->encrypt ? y : x);
        done = take;
        if (position + take < BLOCK_LENGTH)
        {
            return;
        }
        s->hash = ghashOne(s, s->hash, _mm_shuffle_epi8(s->partialCiphertext, reverseBytesMask()));
    }
    // Whole chunks (pipelined when encrypting; constant masks folded away otherwise), then the rest under masks.
    const size_t chunks = (length - done) / CHUNK_LENGTH;
    if (s->encrypt && chunks >= 2)
    {
        encryptChunks(s, in + done, out + done, chunks);
        done += chunks * CHUNK_LENGTH;
    }
    while (length - done >= CHUNK_LENGTH)
    {
        gcmChunk(s, in + done, out + done, CHUNK_LENGTH);
        done += CHUNK_LENGTH;
    }
    if (done < length)
    {
        gcmChunk(s, in + done, out + done, length - done);
    }
}

static void gcmTag(const GcmState* s, uint8_t* tag)
{
    __m128i hash = s->hash;
    const unsigned position = (unsigned)(s->textLength % BLOCK_LENGTH);
    const __m128i reverse = reverseBytesMask();
    if (position != 0)
    {
        // The cut block is hashed zero-padded; the state keeps it zero beyond the bytes seen.
        hash = ghashOne(s, hash, _mm_shuffle_epi8(s->partialCiphertext, reverse));
    }
    // BE64(bits(A)) || BE64(bits(C)), byte-reflected: the text bits are the low quadword.
    const __m128i lengths = _mm_set_epi64x((long long)(s->aadLength * 8), (long long)(s->textLength * 8));
    hash = ghashOne(s, hash, lengths);
    _mm_storeu_si128((__m128i*)tag, _mm_xor_si128(_mm_shuffle_epi8(hash, reverse), s->encryptedJ0));
}

#pragma GCC pop_options

/* ---------------------------------------------------------------------------------------------------------- */
/* JNI: io.tlsnic.wire.crypto.NativeGcm. Bounds are checked on the Java side before every call.               */
/* ---------------------------------------------------------------------------------------------------------- */

JNIEXPORT jboolean JNICALL Java_io_tlsnic_wire_crypto_NativeGcm_cpuSupported(JNIEnv* env, jclass type)
{
    (void)env;
    (void)type;
    return cpuChecked() ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jlong JNICALL Java_io_tlsnic_wire_crypto_NativeGcm_create(JNIEnv* env, jclass type, jbyteArray key)
{
    (void)type;
    const jsize keyLength = (*env)->GetArrayLength(env, key);
    if ((keyLength != 16 && keyLength != 32) || !cpuChecked())
    {
        return 0;
    }
    const size_t size = (sizeof(GcmState) + 63) & ~(size_t)63;
    GcmState* s = aligned_alloc(64, size);
    if (s == NULL)
    {
        return 0;
    }
    uint8_t keyBytes[32];
    (*env)->GetByteArrayRegion(env, key, 0, keyLength, (jbyte*)keyBytes);
    gcmInit(s, keyBytes, keyLength);
    explicit_bzero(keyBytes, sizeof(keyBytes));
    atomic_fetch_add(&liveStates, 1);
    return (jlong)(intptr_t)s;
}

JNIEXPORT void JNICALL Java_io_tlsnic_wire_crypto_NativeGcm_destroy(JNIEnv* env, jclass type, jlong handle)
{
    (void)env;
    (void)type;
    GcmState* s = (GcmState*)(intptr_t)handle;
    // Round keys and powers of H are key material: wipe them before the memory goes back.
    explicit_bzero(s, sizeof(*s));
    free(s);
    atomic_fetch_sub(&liveStates, 1);
}

JNIEXPORT jlong JNICALL Java_io_tlsnic_wire_crypto_NativeGcm_liveStates(JNIEnv* env, jclass type)
{
    (void)env;
    (void)type;
    return atomic_load(&liveStates);
}

JNIEXPORT void JNICALL Java_io_tlsnic_wire_crypto_NativeGcm_startJni(
    JNIEnv* env, jclass type, jlong handle, jboolean encrypt, jbyteArray nonce, jint nonceOffset,
    jbyteArray aad, jint aadOffset, jint aadLength)
{
    (void)type;
    uint8_t nonceBytes[NONCE_LENGTH];
    (*env)->GetByteArrayRegion(env, nonce, nonceOffset, NONCE_LENGTH, (jbyte*)nonceBytes);
    uint8_t* aadBytes = (*env)->GetPrimitiveArrayCritical(env, aad, NULL);
    if (aadBytes == NULL)
    {
        return;
    }
    gcmStart((GcmState*)(intptr_t)handle, encrypt == JNI_TRUE, nonceBytes, aadBytes + aadOffset, (size_t)aadLength);
    (*env)->ReleasePrimitiveArrayCritical(env, aad, aadBytes, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_io_tlsnic_wire_crypto_NativeGcm_updateJni(
    JNIEnv* env, jclass type, jlong handle, jbyteArray in, jint inOffset, jint length,
    jbyteArray out, jint outOffset)
{
    (void)type;
    uint8_t* inBytes = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    if (inBytes == NULL)
    {
        return;
    }
    uint8_t* outBytes = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    if (outBytes == NULL)
    {
        (*env)->ReleasePrimitiveArrayCritical(env, in, inBytes, JNI_ABORT);
        return;
    }
    gcmUpdate((GcmState*)(intptr_t)handle, inBytes + inOffset, outBytes + outOffset, (size_t)length);
    (*env)->ReleasePrimitiveArrayCritical(env, out, outBytes, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, in, inBytes, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_io_tlsnic_wire_crypto_NativeGcm_tagJni(
    JNIEnv* env, jclass type, jlong handle, jbyteArray out, jint outOffset)
{
    (void)type;
    uint8_t tag[BLOCK_LENGTH];
    gcmTag((const GcmState*)(intptr_t)handle, tag);
    (*env)->SetByteArrayRegion(env, out, outOffset, BLOCK_LENGTH, (const jbyte*)tag);
}

/* ---------------------------------------------------------------------------------------------------------- */
/* The same entry points as plain C functions, for JDK 22+ where NativeGcmDowncalls calls them as FFM        */
/* critical downcalls with the heap arrays' addresses (no JNI transition, no pinning).                        */
/* ---------------------------------------------------------------------------------------------------------- */

JNIEXPORT void tlsnic_gcm_start(
    const int64_t state, const int32_t encrypt, const uint8_t* nonce, const int32_t nonceOffset,
    const uint8_t* aad, const int32_t aadOffset, const int32_t aadLength)
{
    gcmStart((GcmState*)(intptr_t)state, encrypt != 0, nonce + nonceOffset, aad + aadOffset, (size_t)aadLength);
}

JNIEXPORT void tlsnic_gcm_update(
    const int64_t state, const uint8_t* in, const int32_t inOffset, const int32_t length,
    uint8_t* out, const int32_t outOffset)
{
    gcmUpdate((GcmState*)(intptr_t)state, in + inOffset, out + outOffset, (size_t)length);
}

JNIEXPORT void tlsnic_gcm_tag(const int64_t state, uint8_t* out, const int32_t outOffset)
{
    gcmTag((const GcmState*)(intptr_t)state, out + outOffset);
}
