;; bitspike plasticity update on bit-sliced counters, WebAssembly SIMD (assembled by
;; scripts/build-wasm.js; shares the memory of kernels.wat).
;;
;; Layout: weights and pre vectors as in kernels.wat (rows padded to nWords words).
;; Counters of b = counterBits bits are stored as b bit-planes in two's complement:
;; plane p of row r is planeWords = 4 * ceil(nWords / 4) words at word index
;; (r * b + p) * planeWords; bit j of that plane is bit p of counter (r, j); plane
;; b - 1 is the sign. Padding bits of the planes stay 0.
;; Equations (as kernels.wat):
;;   c_j = sgn(beta) * sign(xb_i xb_j - x0_i x0_j) as inc/dec masks
;;   for c_j != 0 (every synapse when leak > 0):
;;                  H <- H - sign(H) * (|H| >> leak)   (leak > 0)
;;                  H <- sat(H + c_j) to [-(2^(b-1)), 2^(b-1) - 1]
;;                  w_j <- 1 if H > theta, 0 if H < -theta, else unchanged
;; 128 synapses per step, in one pass up the planes: the increment/decrement is a
;; ripple carry (through 1s for +1, through 0s for -1), and the threshold tests are
;; comparisons with a constant computed on the new bits as they come, LSB first. A
;; carry that would wrap the sign (H at max taking +1, at min taking -1) is caught at
;; the sign plane and the rare lanes it hits are put back (saturation). The leak, when
;; on, runs first: |H| by a conditional negate into scratch planes, shifted by taking
;; plane p + leak as plane p, then added to or subtracted from H by a full adder.
;; scratch: 256 bytes (|H| planes, then old XOR leaked planes), 16-byte aligned.
(module
  (import "env" "memory" (memory 1))

  ;; The first n (1..4) words at p as a vector, zero above.
  (func $loadPart (param $p i32) (param $n i32) (result v128)
    (local $v v128)
    (local.set $v (i32x4.replace_lane 0 (v128.const i32x4 0 0 0 0) (i32.load (local.get $p))))
    (if (i32.gt_u (local.get $n) (i32.const 1))
      (then (local.set $v (i32x4.replace_lane 1 (local.get $v) (i32.load offset=4 (local.get $p))))))
    (if (i32.gt_u (local.get $n) (i32.const 2))
      (then (local.set $v (i32x4.replace_lane 2 (local.get $v) (i32.load offset=8 (local.get $p))))))
    (if (i32.gt_u (local.get $n) (i32.const 3))
      (then (local.set $v (i32x4.replace_lane 3 (local.get $v) (i32.load offset=12 (local.get $p))))))
    (local.get $v))

  ;; Store the first n (1..4) words of v at p.
  (func $storePart (param $p i32) (param $v v128) (param $n i32)
    (i32.store (local.get $p) (i32x4.extract_lane 0 (local.get $v)))
    (if (i32.gt_u (local.get $n) (i32.const 1))
      (then (i32.store offset=4 (local.get $p) (i32x4.extract_lane 1 (local.get $v)))))
    (if (i32.gt_u (local.get $n) (i32.const 2))
      (then (i32.store offset=8 (local.get $p) (i32x4.extract_lane 2 (local.get $v)))))
    (if (i32.gt_u (local.get $n) (i32.const 3))
      (then (i32.store offset=12 (local.get $p) (i32x4.extract_lane 3 (local.get $v))))))

  ;; One EP plasticity step on a rows x nBits layer with bit-sliced counters at $pl;
  ;; writes changed-counter, flipped-weight and clipped-update counts to tally[0..2] (i32).
  (func (export "plasticity_sliced")
    (param $wt i32) (param $pl i32) (param $rows i32) (param $nBits i32)
    (param $xb i32) (param $x0 i32) (param $postB i32) (param $post0 i32)
    (param $betaPos i32) (param $spin i32) (param $bits i32) (param $theta i32) (param $leak i32)
    (param $scratch i32) (param $tally i32)
    (local $nWords i32) (local $planeBytes i32) (local $lastMask i32) (local $r i32) (local $k i32)
    (local $n i32) (local $full i32) (local $p i32) (local $pa i32) (local $top i32)
    (local $bitB i32) (local $bit0 i32) (local $wa i32) (local $rowPlanes i32)
    (local $changed i32) (local $flipped i32) (local $clipped i32) (local $k2 i32)
    (local $flipB v128) (local $flip0 v128) (local $keepB v128) (local $keep0 v128)
    (local $valid v128) (local $vb v128) (local $v0 v128) (local $up v128) (local $down v128)
    (local $inc v128) (local $dec v128) (local $h v128)
    (local $nh v128) (local $ovInc v128) (local $ovDec v128) (local $ov v128)
    (local $sg v128) (local $e v128) (local $d1 v128) (local $dr v128)
    (local $carry v128) (local $gt v128) (local $lt v128) (local $eq v128) (local $w v128) (local $nw v128)
    (local.set $nWords (i32.shr_u (i32.add (local.get $nBits) (i32.const 31)) (i32.const 5)))
    (local.set $planeBytes (i32.shl (i32.shr_u (i32.add (local.get $nWords) (i32.const 3)) (i32.const 2)) (i32.const 4)))
    (local.set $lastMask
      (if (result i32) (i32.and (local.get $nBits) (i32.const 31))
        (then (i32.sub (i32.shl (i32.const 1) (i32.and (local.get $nBits) (i32.const 31))) (i32.const 1)))
        (else (i32.const -1))))
    (local.set $top (i32.sub (local.get $bits) (i32.const 1)))
    ;; H < -theta <=> sign and low bits < 2^(b-1) - theta
    (local.set $k2 (i32.sub (i32.shl (i32.const 1) (local.get $top)) (local.get $theta)))
    (local.set $wa (local.get $wt))
    (local.set $rowPlanes (local.get $pl))
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
        (local.set $flipB (i32x4.splat (i32.sub (local.get $bitB) (i32.const 1))))
        (local.set $flip0 (i32x4.splat (i32.sub (local.get $bit0) (i32.const 1))))
        (local.set $keepB (i32x4.splat (i32.sub (i32.const 0) (local.get $bitB))))
        (local.set $keep0 (i32x4.splat (i32.sub (i32.const 0) (local.get $bit0))))
        (local.set $k (i32.const 0))
        (loop $group
          ;; words k .. k + n - 1 of the row (n = 4 except in the last group)
          (local.set $n (i32.sub (local.get $nWords) (local.get $k)))
          (local.set $full (i32.gt_u (local.get $n) (i32.const 4)))
          (if (i32.ge_u (local.get $n) (i32.const 4)) (then (local.set $n (i32.const 4))))
          (local.set $valid (v128.const i32x4 -1 -1 -1 -1))
          (if (i32.eqz (local.get $full))
            (then
              ;; last group: lanes past the row are 0, the row's last word keeps only its valid bits
              (local.set $valid (i32x4.splat (i32.const 0)))
              (if (i32.gt_u (local.get $n) (i32.const 1)) (then (local.set $valid (i32x4.replace_lane 0 (local.get $valid) (i32.const -1)))))
              (if (i32.gt_u (local.get $n) (i32.const 2)) (then (local.set $valid (i32x4.replace_lane 1 (local.get $valid) (i32.const -1)))))
              (if (i32.gt_u (local.get $n) (i32.const 3)) (then (local.set $valid (i32x4.replace_lane 2 (local.get $valid) (i32.const -1)))))
              (local.set $valid (v128.or (local.get $valid)
                (v128.and (i32x4.splat (local.get $lastMask))
                  (i32x4.eq (v128.const i32x4 1 2 3 4) (i32x4.splat (local.get $n))))))))
          (if (local.get $full)
            (then
              (local.set $vb (v128.load (i32.add (local.get $xb) (i32.shl (local.get $k) (i32.const 2)))))
              (local.set $v0 (v128.load (i32.add (local.get $x0) (i32.shl (local.get $k) (i32.const 2)))))
              (local.set $w (v128.load (local.get $wa))))
            (else
              (local.set $vb (call $loadPart (i32.add (local.get $xb) (i32.shl (local.get $k) (i32.const 2))) (local.get $n)))
              (local.set $v0 (call $loadPart (i32.add (local.get $x0) (i32.shl (local.get $k) (i32.const 2))) (local.get $n)))
              (local.set $w (call $loadPart (local.get $wa) (local.get $n)))))
          (if (local.get $spin)
            (then
              (local.set $vb (v128.xor (local.get $vb) (local.get $flipB)))
              (local.set $v0 (v128.xor (local.get $v0) (local.get $flip0))))
            (else
              (local.set $vb (v128.and (local.get $vb) (local.get $keepB)))
              (local.set $v0 (v128.and (local.get $v0) (local.get $keep0)))))
          (local.set $up (v128.and (v128.andnot (local.get $vb) (local.get $v0)) (local.get $valid)))
          (local.set $down (v128.and (v128.andnot (local.get $v0) (local.get $vb)) (local.get $valid)))
          (if (local.get $betaPos)
            (then (local.set $inc (local.get $up)) (local.set $dec (local.get $down)))
            (else (local.set $inc (local.get $down)) (local.set $dec (local.get $up))))
          (if (i32.or (local.get $leak) (v128.any_true (v128.or (local.get $inc) (local.get $dec))))
            (then
              (if (local.get $leak)
                (then
                  ;; leak on every valid lane, H <- H - sign(H) * (|H| >> leak):
                  ;; A = |H| = (H XOR S) + S as unsigned b-bit planes (into scratch), D = A >> leak,
                  ;; then H + (D XOR NOT S) + NOT S, which is H - D for S = 0 and H + D for S = 1
                  (local.set $sg (v128.load (i32.add (i32.add (local.get $rowPlanes) (i32.shl (local.get $k) (i32.const 2)))
                    (i32.mul (local.get $top) (local.get $planeBytes)))))
                  (local.set $carry (local.get $sg))
                  (local.set $pa (i32.add (local.get $rowPlanes) (i32.shl (local.get $k) (i32.const 2))))
                  (local.set $p (i32.const 0))
                  (loop $abs
                    (local.set $h (v128.xor (v128.load (local.get $pa)) (local.get $sg)))
                    (v128.store (i32.add (local.get $scratch) (i32.shl (local.get $p) (i32.const 4)))
                      (v128.xor (local.get $h) (local.get $carry)))
                    (local.set $carry (v128.and (local.get $carry) (local.get $h)))
                    (local.set $pa (i32.add (local.get $pa) (local.get $planeBytes)))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br_if $abs (i32.lt_u (local.get $p) (local.get $bits))))
                  ;; full adder up the planes; scratch + 128 keeps (old XOR leaked) per plane
                  (local.set $carry (v128.not (local.get $sg)))
                  (local.set $d1 (v128.const i32x4 0 0 0 0))
                  (local.set $pa (i32.add (local.get $rowPlanes) (i32.shl (local.get $k) (i32.const 2))))
                  (local.set $p (i32.const 0))
                  (loop $leakAdd
                    (local.set $h (v128.load (local.get $pa)))
                    (local.set $e (v128.not (local.get $sg)))
                    (if (i32.lt_u (i32.add (local.get $p) (local.get $leak)) (local.get $bits))
                      (then (local.set $e (v128.xor (local.get $e)
                        (v128.load (i32.add (local.get $scratch) (i32.shl (i32.add (local.get $p) (local.get $leak)) (i32.const 4))))))))
                    (local.set $nh (v128.bitselect
                      (v128.xor (v128.xor (local.get $h) (local.get $e)) (local.get $carry))
                      (local.get $h) (local.get $valid)))
                    (local.set $carry (v128.or (v128.and (local.get $h) (local.get $e))
                      (v128.and (local.get $carry) (v128.xor (local.get $h) (local.get $e)))))
                    (local.set $e (v128.xor (local.get $h) (local.get $nh)))
                    (v128.store offset=128 (i32.add (local.get $scratch) (i32.shl (local.get $p) (i32.const 4))) (local.get $e))
                    (local.set $d1 (v128.or (local.get $d1) (local.get $e)))
                    (v128.store (local.get $pa) (local.get $nh))
                    (local.set $pa (i32.add (local.get $pa) (local.get $planeBytes)))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br_if $leakAdd (i32.lt_u (local.get $p) (local.get $bits))))
                  (local.set $dr (v128.const i32x4 0 0 0 0))))
              ;; one pass up the planes: ripple (z = h XOR dec: the carry runs through 1s for
              ;; +1 and through 0s for -1) and, on the new low bits, the threshold tests LSB
              ;; first: low > K is  K_p ? nh AND gt : nh OR gt;  low < K is  K_p ? NOT nh OR lt : NOT nh AND lt
              (local.set $carry (v128.or (local.get $inc) (local.get $dec)))
              (local.set $gt (v128.const i32x4 0 0 0 0))
              (local.set $lt (v128.const i32x4 0 0 0 0))
              (local.set $pa (i32.add (local.get $rowPlanes) (i32.shl (local.get $k) (i32.const 2))))
              (local.set $p (i32.const 0))
              (loop $ripple
                (local.set $h (v128.load (local.get $pa)))
                (local.set $nh (v128.xor (local.get $h) (local.get $carry)))
                (v128.store (local.get $pa) (local.get $nh))
                ;; with the leak: did this plane end up different from before the leak?
                (if (local.get $leak)
                  (then (local.set $dr (v128.or (local.get $dr) (v128.xor (local.get $carry)
                    (v128.load offset=128 (i32.add (local.get $scratch) (i32.shl (local.get $p) (i32.const 4)))))))))
                (local.set $carry (v128.and (local.get $carry) (v128.xor (local.get $h) (local.get $dec))))
                (if (i32.and (i32.shr_u (local.get $theta) (local.get $p)) (i32.const 1))
                  (then (local.set $gt (v128.and (local.get $nh) (local.get $gt))))
                  (else (local.set $gt (v128.or (local.get $nh) (local.get $gt)))))
                (if (i32.and (i32.shr_u (local.get $k2) (local.get $p)) (i32.const 1))
                  (then (local.set $lt (v128.or (v128.not (local.get $nh)) (local.get $lt))))
                  (else (local.set $lt (v128.andnot (local.get $lt) (local.get $nh)))))
                (local.set $pa (i32.add (local.get $pa) (local.get $planeBytes)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br_if $ripple (i32.lt_u (local.get $p) (local.get $top))))
              ;; sign plane: a carry reaching it on a +1 lane with sign 0 (H was max), or on a -1
              ;; lane with sign 1 (H was min), would wrap; such lanes saturate instead
              (local.set $h (v128.load (local.get $pa)))
              (local.set $ovInc (v128.andnot (v128.and (local.get $carry) (local.get $inc)) (local.get $h)))
              (local.set $ovDec (v128.and (v128.and (local.get $carry) (local.get $dec)) (local.get $h)))
              (local.set $ov (v128.or (local.get $ovInc) (local.get $ovDec)))
              ;; a saturated lane is a clipped update (its register keeps its value)
              (local.set $clipped (i32.add (local.get $clipped) (i32.wrap_i64 (i64.add
                (i64.popcnt (i64x2.extract_lane 0 (local.get $ov)))
                (i64.popcnt (i64x2.extract_lane 1 (local.get $ov)))))))
              (local.set $nh (v128.xor (local.get $h) (v128.andnot (local.get $carry) (local.get $ov))))
              (v128.store (local.get $pa) (local.get $nh))
              (if (local.get $leak)
                (then (local.set $dr (v128.or (local.get $dr) (v128.xor (local.get $carry)
                  (v128.load offset=128 (i32.add (local.get $scratch) (i32.shl (local.get $top) (i32.const 4)))))))))
              (if (v128.any_true (local.get $ov))
                (then
                  ;; put the wrapped low planes back: all 1s at max, all 0s at min
                  (local.set $pa (i32.add (local.get $rowPlanes) (i32.shl (local.get $k) (i32.const 2))))
                  (local.set $p (i32.const 0))
                  (loop $restore
                    (v128.store (local.get $pa)
                      (v128.andnot (v128.or (v128.load (local.get $pa)) (local.get $ovInc)) (local.get $ovDec)))
                    (local.set $pa (i32.add (local.get $pa) (local.get $planeBytes)))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br_if $restore (i32.lt_u (local.get $p) (local.get $top))))))
              ;; H > theta <=> not sign and low > theta; H < -theta <=> sign and low < 2^(b-1) - theta
              ;; (theta = 0: every negative H); a saturated lane is at max (> theta) or min (< -theta)
              (local.set $gt (v128.or (v128.andnot (v128.andnot (local.get $gt) (local.get $nh)) (local.get $ov)) (local.get $ovInc)))
              (if (i32.eqz (local.get $theta))
                (then (local.set $lt (local.get $nh)))
                (else (local.set $lt (v128.and (local.get $lt) (local.get $nh)))))
              (local.set $lt (v128.or (v128.andnot (local.get $lt) (local.get $ov)) (local.get $ovDec)))
              ;; changed: a saturated lane kept its leaked value; with the leak, compare with the value before it
              (if (local.get $leak)
                (then (local.set $eq (v128.bitselect (local.get $d1) (local.get $dr) (local.get $ov))))
                (else (local.set $eq (v128.andnot (v128.or (local.get $inc) (local.get $dec)) (local.get $ov)))))
              (local.set $changed (i32.add (local.get $changed) (i32.wrap_i64 (i64.add
                (i64.popcnt (i64x2.extract_lane 0 (local.get $eq)))
                (i64.popcnt (i64x2.extract_lane 1 (local.get $eq)))))))
              ;; only touched synapses may flip (with the leak: all of them)
              (local.set $h (v128.or (local.get $inc) (local.get $dec)))
              (if (local.get $leak) (then (local.set $h (local.get $valid))))
              (local.set $nw (v128.andnot
                (v128.or (local.get $w) (v128.and (local.get $gt) (local.get $h)))
                (v128.and (local.get $lt) (local.get $h))))
              (local.set $eq (v128.xor (local.get $w) (local.get $nw)))
              (local.set $flipped (i32.add (local.get $flipped) (i32.wrap_i64 (i64.add
                (i64.popcnt (i64x2.extract_lane 0 (local.get $eq)))
                (i64.popcnt (i64x2.extract_lane 1 (local.get $eq)))))))
              (if (local.get $full)
                (then (v128.store (local.get $wa) (local.get $nw)))
                (else (call $storePart (local.get $wa) (local.get $nw) (local.get $n))))))
          (local.set $wa (i32.add (local.get $wa) (i32.shl (local.get $n) (i32.const 2))))
          (local.set $k (i32.add (local.get $k) (i32.const 4)))
          (br_if $group (i32.lt_u (local.get $k) (local.get $nWords))))
        (local.set $rowPlanes (i32.add (local.get $rowPlanes) (i32.mul (local.get $planeBytes) (local.get $bits))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row)))
    (i32.store (local.get $tally) (local.get $changed))
    (i32.store offset=4 (local.get $tally) (local.get $flipped))
    (i32.store offset=8 (local.get $tally) (local.get $clipped)))
)
