;; bitspike bit kernels, WebAssembly build (assembled by scripts/build-wasm.js).
;;
;; Same layouts and results as the TypeScript kernels in src/kernels:
;;   packed vectors: bit i in 32-bit word i >> 5 at position i & 31, tail bits zero;
;;   matrices row-major, each row padded to nWords = ceil(nBits / 32) words;
;;   counters one signed byte per synapse, row r at byte r * nWords * 32.
;; Equations:
;;   matvec_xnor: out[r] = nBits - 2 * popcount(W_r XOR x)
;;   matvec_and:  out[r] = 2 * popcount(W_r AND x) - popcount(x)
;;   plasticity:  c_j = sgn(beta) * sign(xb_i xb_j - x0_i x0_j) as inc/dec masks
;;                for synapses with c_j != 0 (all of them when leak > 0):
;;                H <- H - sign(H) * (|H| >> leak)   (leak > 0)
;;                H <- sat(H + c_j) to [-(2^(b-1)), 2^(b-1) - 1]
;;                w_j <- 1 if H > theta, 0 if H < -theta, else unchanged
;;                (untouched counters keep their value, so the update may run on them:
;;                with no leak and c_j = 0 the arithmetic leaves H as it was)
;; Popcounts use scalar i64.popcnt (on this CPU class i8x16.popcnt is not faster);
;; the counter update uses v128 lanes, 16 counters per instruction.
(module
  (import "env" "memory" (memory 1))

  ;; popcount of nWords 32-bit words at byte address a.
  (func $popcountVec (param $a i32) (param $nWords i32) (result i32)
    (local $end i32) (local $s i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $nWords) (i32.const 2))))
    (if (i32.lt_u (local.get $a) (local.get $end))
      (then
        (loop $words
          (local.set $s (i32.add (local.get $s) (i32.popcnt (i32.load (local.get $a)))))
          (local.set $a (i32.add (local.get $a) (i32.const 4)))
          (br_if $words (i32.lt_u (local.get $a) (local.get $end))))))
    (local.get $s))

  ;; out[r] = nBits - 2 * popcount(W_r XOR x), r < rows (W, x, out are byte addresses).
  ;; The row loop is written out (no call per row): a call per 512-byte row cost ~20%.
  (func (export "matvec_xnor") (param $w i32) (param $rows i32) (param $nBits i32) (param $x i32) (param $out i32)
    (local $nWords i32) (local $xp i32) (local $end4 i32) (local $end1 i32) (local $end i32) (local $s0 i64) (local $s1 i64) (local $ones i32)
    (local.set $nWords (i32.shr_u (i32.add (local.get $nBits) (i32.const 31)) (i32.const 5)))
    ;; x addresses where the 32-byte blocks and the 8-byte pairs of a row end
    (local.set $end4 (i32.add (local.get $x) (i32.shl (i32.shr_u (local.get $nWords) (i32.const 3)) (i32.const 5))))
    (local.set $end1 (i32.add (local.get $x) (i32.shl (i32.shr_u (local.get $nWords) (i32.const 1)) (i32.const 3))))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $rows) (i32.const 2))))
    (if (i32.lt_u (local.get $out) (local.get $end))
      (then
        (loop $row
          (local.set $s0 (i64.const 0))
          (local.set $s1 (i64.const 0))
          (local.set $xp (local.get $x))
          (if (i32.lt_u (local.get $xp) (local.get $end4))
            (then
              (loop $blocks
                (local.set $s0 (i64.add (local.get $s0) (i64.popcnt (i64.xor (i64.load (local.get $w)) (i64.load (local.get $xp))))))
                (local.set $s1 (i64.add (local.get $s1) (i64.popcnt (i64.xor (i64.load offset=8 (local.get $w)) (i64.load offset=8 (local.get $xp))))))
                (local.set $s0 (i64.add (local.get $s0) (i64.popcnt (i64.xor (i64.load offset=16 (local.get $w)) (i64.load offset=16 (local.get $xp))))))
                (local.set $s1 (i64.add (local.get $s1) (i64.popcnt (i64.xor (i64.load offset=24 (local.get $w)) (i64.load offset=24 (local.get $xp))))))
                (local.set $w (i32.add (local.get $w) (i32.const 32)))
                (local.set $xp (i32.add (local.get $xp) (i32.const 32)))
                (br_if $blocks (i32.lt_u (local.get $xp) (local.get $end4))))))
          (if (i32.lt_u (local.get $xp) (local.get $end1))
            (then
              (loop $pairs
                (local.set $s0 (i64.add (local.get $s0) (i64.popcnt (i64.xor (i64.load (local.get $w)) (i64.load (local.get $xp))))))
                (local.set $w (i32.add (local.get $w) (i32.const 8)))
                (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
                (br_if $pairs (i32.lt_u (local.get $xp) (local.get $end1))))))
          ;; odd last 32-bit word of the row
          (if (i32.and (local.get $nWords) (i32.const 1))
            (then
              (local.set $s1 (i64.add (local.get $s1)
                (i64.extend_i32_u (i32.popcnt (i32.xor (i32.load (local.get $w)) (i32.load (local.get $xp)))))))
              (local.set $w (i32.add (local.get $w) (i32.const 4)))))
          (i32.store (local.get $out) (i32.sub (local.get $nBits) (i32.shl (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1))))
          (local.set $out (i32.add (local.get $out) (i32.const 4)))
          (br_if $row (i32.lt_u (local.get $out) (local.get $end)))))))

  ;; out[r] = 2 * popcount(W_r AND x) - popcount(x), r < rows.
  ;; The row loop is written out (no call per row): a call per 512-byte row cost ~20%.
  (func (export "matvec_and") (param $w i32) (param $rows i32) (param $nBits i32) (param $x i32) (param $out i32)
    (local $nWords i32) (local $xp i32) (local $end4 i32) (local $end1 i32) (local $end i32) (local $s0 i64) (local $s1 i64) (local $ones i32)
    (local.set $nWords (i32.shr_u (i32.add (local.get $nBits) (i32.const 31)) (i32.const 5)))
    ;; x addresses where the 32-byte blocks and the 8-byte pairs of a row end
    (local.set $end4 (i32.add (local.get $x) (i32.shl (i32.shr_u (local.get $nWords) (i32.const 3)) (i32.const 5))))
    (local.set $end1 (i32.add (local.get $x) (i32.shl (i32.shr_u (local.get $nWords) (i32.const 1)) (i32.const 3))))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $rows) (i32.const 2))))
    (local.set $ones (call $popcountVec (local.get $x) (local.get $nWords)))
    (if (i32.lt_u (local.get $out) (local.get $end))
      (then
        (loop $row
          (local.set $s0 (i64.const 0))
          (local.set $s1 (i64.const 0))
          (local.set $xp (local.get $x))
          (if (i32.lt_u (local.get $xp) (local.get $end4))
            (then
              (loop $blocks
                (local.set $s0 (i64.add (local.get $s0) (i64.popcnt (i64.and (i64.load (local.get $w)) (i64.load (local.get $xp))))))
                (local.set $s1 (i64.add (local.get $s1) (i64.popcnt (i64.and (i64.load offset=8 (local.get $w)) (i64.load offset=8 (local.get $xp))))))
                (local.set $s0 (i64.add (local.get $s0) (i64.popcnt (i64.and (i64.load offset=16 (local.get $w)) (i64.load offset=16 (local.get $xp))))))
                (local.set $s1 (i64.add (local.get $s1) (i64.popcnt (i64.and (i64.load offset=24 (local.get $w)) (i64.load offset=24 (local.get $xp))))))
                (local.set $w (i32.add (local.get $w) (i32.const 32)))
                (local.set $xp (i32.add (local.get $xp) (i32.const 32)))
                (br_if $blocks (i32.lt_u (local.get $xp) (local.get $end4))))))
          (if (i32.lt_u (local.get $xp) (local.get $end1))
            (then
              (loop $pairs
                (local.set $s0 (i64.add (local.get $s0) (i64.popcnt (i64.and (i64.load (local.get $w)) (i64.load (local.get $xp))))))
                (local.set $w (i32.add (local.get $w) (i32.const 8)))
                (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
                (br_if $pairs (i32.lt_u (local.get $xp) (local.get $end1))))))
          ;; odd last 32-bit word of the row
          (if (i32.and (local.get $nWords) (i32.const 1))
            (then
              (local.set $s1 (i64.add (local.get $s1)
                (i64.extend_i32_u (i32.popcnt (i32.and (i32.load (local.get $w)) (i32.load (local.get $xp)))))))
              (local.set $w (i32.add (local.get $w) (i32.const 4)))))
          (i32.store (local.get $out) (i32.sub (i32.shl (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1)) (local.get $ones)))
          (local.set $out (i32.add (local.get $out) (i32.const 4)))
          (br_if $row (i32.lt_u (local.get $out) (local.get $end)))))))

  ;; One EP plasticity step on a rows x nBits layer; see the header for the equations.
  ;; post bits of row r are read from the packed vectors postB / post0; writes the
  ;; changed-counter and flipped-weight counts to tally[0], tally[1] (i32).
  (func (export "plasticity_layer")
    (param $wt i32) (param $ctr i32) (param $rows i32) (param $nBits i32)
    (param $xb i32) (param $x0 i32) (param $postB i32) (param $post0 i32)
    (param $betaPos i32) (param $spin i32)
    (param $counterBits i32) (param $theta i32) (param $leak i32) (param $tally i32)
    (local $nWords i32) (local $lastMask i32) (local $r i32) (local $k i32)
    (local $bitB i32) (local $bit0 i32) (local $flipB i32) (local $flip0 i32) (local $keepB i32) (local $keep0 i32)
    (local $pb i32) (local $p0 i32) (local $up i32) (local $down i32) (local $inc i32) (local $dec i32)
    (local $w i32) (local $nw i32) (local $gt i32) (local $lt i32) (local $c i32) (local $wa i32)
    (local $changed i32) (local $flipped i32)
    (local $lo v128) (local $hi v128) (local $thP v128) (local $thN v128) (local $hA v128) (local $hB v128)
    (local $hA0 v128) (local $hB0 v128) (local $incA v128) (local $incB v128) (local $decA v128) (local $decB v128)
    (local $t v128) (local $sg v128) (local $sel v128) (local $idxA v128) (local $idxB v128)
    (local.set $sel (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128))
    (local.set $idxA (v128.const i8x16 0 0 0 0 0 0 0 0 1 1 1 1 1 1 1 1))
    (local.set $idxB (v128.const i8x16 2 2 2 2 2 2 2 2 3 3 3 3 3 3 3 3))
    (local.set $nWords (i32.shr_u (i32.add (local.get $nBits) (i32.const 31)) (i32.const 5)))
    (local.set $lastMask
      (if (result i32) (i32.and (local.get $nBits) (i32.const 31))
        (then (i32.sub (i32.shl (i32.const 1) (i32.and (local.get $nBits) (i32.const 31))) (i32.const 1)))
        (else (i32.const -1))))
    (local.set $hi (i8x16.splat (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $counterBits) (i32.const 1))) (i32.const 1))))
    (local.set $lo (i8x16.splat (i32.sub (i32.const 0) (i32.shl (i32.const 1) (i32.sub (local.get $counterBits) (i32.const 1))))))
    (local.set $thP (i8x16.splat (local.get $theta)))
    (local.set $thN (i8x16.splat (i32.sub (i32.const 0) (local.get $theta))))
    (local.set $wa (local.get $wt))
    (local.set $c (local.get $ctr))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (br_if $rowsDone (i32.eqz (local.get $nWords)))
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $bitB (i32.and (i32.shr_u
          (i32.load (i32.add (local.get $postB) (i32.shl (i32.shr_u (local.get $r) (i32.const 5)) (i32.const 2))))
          (local.get $r)) (i32.const 1)))
        (local.set $bit0 (i32.and (i32.shr_u
          (i32.load (i32.add (local.get $post0) (i32.shl (i32.shr_u (local.get $r) (i32.const 5)) (i32.const 2))))
          (local.get $r)) (i32.const 1)))
        ;; spin: XOR with all ones when the post bit is 0 gives post XNOR pre; binary: AND with the post bit
        (local.set $flipB (i32.sub (local.get $bitB) (i32.const 1)))
        (local.set $flip0 (i32.sub (local.get $bit0) (i32.const 1)))
        (local.set $keepB (i32.sub (i32.const 0) (local.get $bitB)))
        (local.set $keep0 (i32.sub (i32.const 0) (local.get $bit0)))
        (local.set $k (i32.const 0))
        (loop $word
          (if (local.get $spin)
            (then
              (local.set $pb (i32.xor (i32.load (i32.add (local.get $xb) (i32.shl (local.get $k) (i32.const 2)))) (local.get $flipB)))
              (local.set $p0 (i32.xor (i32.load (i32.add (local.get $x0) (i32.shl (local.get $k) (i32.const 2)))) (local.get $flip0))))
            (else
              (local.set $pb (i32.and (i32.load (i32.add (local.get $xb) (i32.shl (local.get $k) (i32.const 2)))) (local.get $keepB)))
              (local.set $p0 (i32.and (i32.load (i32.add (local.get $x0) (i32.shl (local.get $k) (i32.const 2)))) (local.get $keep0)))))
          (local.set $up (i32.and (local.get $pb) (i32.xor (local.get $p0) (i32.const -1))))
          (local.set $down (i32.and (local.get $p0) (i32.xor (local.get $pb) (i32.const -1))))
          (if (i32.eq (local.get $k) (i32.sub (local.get $nWords) (i32.const 1)))
            (then
              (local.set $up (i32.and (local.get $up) (local.get $lastMask)))
              (local.set $down (i32.and (local.get $down) (local.get $lastMask)))))
          (local.set $inc (select (local.get $up) (local.get $down) (local.get $betaPos)))
          (local.set $dec (select (local.get $down) (local.get $up) (local.get $betaPos)))
          ;; spread the 32 mask bits over 2 x 16 byte lanes: lane j gets 0xff when bit j is set
          (local.set $t (i32x4.splat (local.get $inc)))
          (local.set $incA (i8x16.eq (v128.and (i8x16.swizzle (local.get $t) (local.get $idxA)) (local.get $sel)) (local.get $sel)))
          (local.set $incB (i8x16.eq (v128.and (i8x16.swizzle (local.get $t) (local.get $idxB)) (local.get $sel)) (local.get $sel)))
          (local.set $t (i32x4.splat (local.get $dec)))
          (local.set $decA (i8x16.eq (v128.and (i8x16.swizzle (local.get $t) (local.get $idxA)) (local.get $sel)) (local.get $sel)))
          (local.set $decB (i8x16.eq (v128.and (i8x16.swizzle (local.get $t) (local.get $idxB)) (local.get $sel)) (local.get $sel)))
          (local.set $hA0 (v128.load (local.get $c)))
          (local.set $hB0 (v128.load offset=16 (local.get $c)))
          (local.set $hA (local.get $hA0))
          (local.set $hB (local.get $hB0))
          (if (local.get $leak)
            (then
              ;; h -= sign(h) * (|h| >> leak), |h| taken as unsigned bytes so that |-128| = 128;
              ;; (a XOR s) - s with s = h >> 7 (0 or -1) is a when h >= 0 and -a when h < 0
              (local.set $t (i8x16.shr_u (i8x16.abs (local.get $hA)) (local.get $leak)))
              (local.set $sg (i8x16.shr_s (local.get $hA) (i32.const 7)))
              (local.set $hA (i8x16.sub (local.get $hA) (i8x16.sub (v128.xor (local.get $t) (local.get $sg)) (local.get $sg))))
              (local.set $t (i8x16.shr_u (i8x16.abs (local.get $hB)) (local.get $leak)))
              (local.set $sg (i8x16.shr_s (local.get $hB) (i32.const 7)))
              (local.set $hB (i8x16.sub (local.get $hB) (i8x16.sub (v128.xor (local.get $t) (local.get $sg)) (local.get $sg))))))
          ;; a set inc lane is -1, so h - inc = h + 1; saturating ops so 8-bit counters cannot wrap
          (local.set $hA (i8x16.min_s (i8x16.max_s
            (i8x16.add_sat_s (i8x16.sub_sat_s (local.get $hA) (local.get $incA)) (local.get $decA)) (local.get $lo)) (local.get $hi)))
          (local.set $hB (i8x16.min_s (i8x16.max_s
            (i8x16.add_sat_s (i8x16.sub_sat_s (local.get $hB) (local.get $incB)) (local.get $decB)) (local.get $lo)) (local.get $hi)))
          (v128.store (local.get $c) (local.get $hA))
          (v128.store offset=16 (local.get $c) (local.get $hB))
          (local.set $changed (i32.add (local.get $changed) (i32.popcnt (i32.xor (i32.const -1) (i32.or
            (i8x16.bitmask (i8x16.eq (local.get $hA) (local.get $hA0)))
            (i32.shl (i8x16.bitmask (i8x16.eq (local.get $hB) (local.get $hB0))) (i32.const 16)))))))
          (local.set $gt (i32.or
            (i8x16.bitmask (i8x16.gt_s (local.get $hA) (local.get $thP)))
            (i32.shl (i8x16.bitmask (i8x16.gt_s (local.get $hB) (local.get $thP))) (i32.const 16))))
          (local.set $lt (i32.or
            (i8x16.bitmask (i8x16.lt_s (local.get $hA) (local.get $thN)))
            (i32.shl (i8x16.bitmask (i8x16.lt_s (local.get $hB) (local.get $thN))) (i32.const 16))))
          ;; only touched synapses may flip
          (if (i32.eqz (local.get $leak))
            (then
              (local.set $gt (i32.and (local.get $gt) (i32.or (local.get $inc) (local.get $dec))))
              (local.set $lt (i32.and (local.get $lt) (i32.or (local.get $inc) (local.get $dec))))))
          (local.set $w (i32.load (local.get $wa)))
          (local.set $nw (i32.and (i32.or (local.get $w) (local.get $gt)) (i32.xor (local.get $lt) (i32.const -1))))
          (if (i32.eq (local.get $k) (i32.sub (local.get $nWords) (i32.const 1)))
            (then (local.set $nw (i32.and (local.get $nw) (local.get $lastMask)))))
          (i32.store (local.get $wa) (local.get $nw))
          (local.set $flipped (i32.add (local.get $flipped) (i32.popcnt (i32.xor (local.get $w) (local.get $nw)))))
          (local.set $wa (i32.add (local.get $wa) (i32.const 4)))
          (local.set $c (i32.add (local.get $c) (i32.const 32)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $word (i32.lt_u (local.get $k) (local.get $nWords))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row)))
    (i32.store (local.get $tally) (local.get $changed))
    (i32.store offset=4 (local.get $tally) (local.get $flipped)))
;; Memory read probe: XOR of all i64 words in nBytes bytes at address p (nBytes a
  ;; multiple of 64), read with v128 loads into four accumulators. It does the least
  ;; work per byte a kernel can do, so its throughput is the read bandwidth the
  ;; mat-vec kernels are measured against.
  (func (export "stream_xor") (param $p i32) (param $nBytes i32) (result i64)
    (local $end i32) (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local.set $end (i32.add (local.get $p) (local.get $nBytes)))
    (if (i32.lt_u (local.get $p) (local.get $end))
      (then
        (loop $blocks
          (local.set $a (v128.xor (local.get $a) (v128.load (local.get $p))))
          (local.set $b (v128.xor (local.get $b) (v128.load offset=16 (local.get $p))))
          (local.set $c (v128.xor (local.get $c) (v128.load offset=32 (local.get $p))))
          (local.set $d (v128.xor (local.get $d) (v128.load offset=48 (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 64)))
          (br_if $blocks (i32.lt_u (local.get $p) (local.get $end))))))
    (local.set $a (v128.xor (v128.xor (local.get $a) (local.get $b)) (v128.xor (local.get $c) (local.get $d))))
    (i64.xor (i64x2.extract_lane 0 (local.get $a)) (i64x2.extract_lane 1 (local.get $a))))
)
