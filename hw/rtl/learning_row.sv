// learning_row: the learning-phase read-modify-write of one neuron row's weight words and
// plasticity-counter bit planes (src/chip/core/neuron-core.ts `learn`, the counter rule of
// src/learning/rules/counter.ts: kernels plasticityMasks and updateRowCounters).
// Rule, per synapse j < nbits of the row (forward then backward fan-in bits):
//  - products of the two phases: spin  pa = post_a XNOR a_j, pb = post_b XNOR b_j;
//                                binary pa = post_a AND  a_j, pb = post_b AND  b_j;
//    up = pa AND NOT pb, down = pb AND NOT pa; c_j = up - down (beta > 0) or down - up;
//  - touched when c_j != 0, or always with the leak on: H <- H - sign(H) * (|H| >> leak),
//    H <- sat_cbits(H + c_j), w_j <- 1 if H > theta, 0 if H < -theta, else unchanged.
// Storage: word k of the row is a weight word and `cbits` counter planes (plane p = bit p of
// the WB two's-complement counters), at row-memory address k * (1 + CBM) + q (q = 0 the
// weights, q = 1 + p plane p).
// Timing rule (docs/timing-model.md, "Learning phase", learning.rowPasses = 2): with
// start in cycle s, a read pass of the row's words * (1 + cbits) SRAM words, BANKS a cycle
// (cycles s + 1 .. s + R, R = ceil(words * (1 + cbits) / BANKS)), then a write pass of
// the updated words, BANKS a cycle, each write port with a word update unit (s + R + 1 ..
// s + 2R); done in cycle s + 2R: L = 2 * ceil(W * (1 + synapseBits) / banks).
// `changed`, `flipped` and `saturated` count changed counters, flipped weights and
// updates clipped at the counter's range (the rule tally's countersChanged, weightsFlipped,
// countersSaturated). The row memory stands for the core's weight and
// counter SRAM (a register file here, as weight_sram).
module learning_row #(
    parameter int WB    = 8,    // core.sram.wordBits
    parameter int WPR   = 8,    // words of the longest row
    parameter int CBM   = 8,    // counter planes the SRAM holds (core.counterBits)
    parameter int BANKS = 1,    // core.sram.banks
    parameter int AW    = $clog2(WPR * (1 + CBM) + 1),
    parameter int KW    = $clog2(WPR + 1) + 1,
    parameter int NW    = $clog2(WPR * WB + 1)
) (
    input  logic          clk,
    input  logic          rst,
    // Rule and row configuration.
    input  logic          binary,
    input  logic          beta_pos,
    input  logic          post_a,
    input  logic          post_b,
    input  logic [3:0]    cbits,      // 2..CBM
    input  logic [7:0]    theta,
    input  logic [2:0]    leak,       // 0 = off
    input  logic [NW-1:0] nbits,      // fan-in bits of the row
    input  logic [KW-1:0] words,      // ceil(nbits / WB)
    // Pre-synaptic bits of the two phases, word k (a host or the axon registers).
    input  logic          pre_we,
    input  logic [KW-1:0] pre_addr,
    input  logic [WB-1:0] pre_a,
    input  logic [WB-1:0] pre_b,
    // Row memory port (loading and reading back).
    input  logic          mem_we,
    input  logic [AW-1:0] mem_addr,
    input  logic [WB-1:0] mem_wdata,
    output logic [WB-1:0] mem_rdata,
    // Control.
    input  logic          start,
    output logic          busy,
    output logic          done,
    output logic [31:0]   changed,
    output logic [31:0]   flipped,
    output logic [31:0]   saturated
);
  localparam int SW = $clog2(WPR * (1 + CBM) + BANKS + 1) + 1;

  logic [WB-1:0] mem  [WPR * (1 + CBM)];
  logic [WB-1:0] buff [WPR * (1 + CBM)];
  logic [WB-1:0] pa_w [WPR];
  logic [WB-1:0] pb_w [WPR];

  assign mem_rdata = mem[mem_addr];

  // Stream position: access s of the pass is word k, component q (0 weights, 1 + p plane p).
  logic          reading, writing;
  logic [SW-1:0] left;             // accesses left in this pass
  logic [SW-1:0] total;            // words * (1 + cbits)
  logic [KW-1:0] k0;
  logic [3:0]    q0;
  assign total = SW'(words) * SW'(5'(cbits) + 5'd1);
  assign busy = reading || writing;

  // Lane b's (k, q): (k0, q0) advanced b times with wrap at q = cbits.
  logic [KW-1:0] lk [BANKS];
  logic [3:0]    lq [BANKS];
  logic [KW-1:0] nk;
  logic [3:0]    nq;
  always_comb begin
    logic [KW-1:0] k;
    logic [3:0]    q;
    k = k0;
    q = q0;
    for (int b = 0; b < BANKS; b++) begin
      lk[b] = k;
      lq[b] = q;
      if (q == cbits) begin q = '0; k = k + 1'b1; end
      else q = q + 1'b1;
    end
    nk = k;
    nq = q;
  end

  // One word update unit per write port: the new weight word and counter planes of word k.
  logic [WB-1:0] new_w   [BANKS];
  logic [WB-1:0] new_pl  [BANKS][CBM];
  logic [WB-1:0] chg_m   [BANKS];
  logic [WB-1:0] sat_m   [BANKS];
  always_comb begin
    for (int b = 0; b < BANKS; b++) begin
      for (int j = 0; j < WB; j++) begin
        logic signed [15:0] h0, h, hi, lo, mag, lk_amt;
        logic a, bb, pa, pb, up, down, inc, dec, valid, touched, wbit;
        logic [15:0] raw;
        raw = '0;
        for (int p = 0; p < CBM; p++) raw[p] = p < 32'(cbits) ? buff[32'(lk[b]) * (1 + CBM) + 1 + p][j] : 1'b0;
        // Sign-extend from bit cbits - 1.
        h0 = $signed(raw << (16 - 32'(cbits))) >>> (16 - 32'(cbits));
        valid = 32'(lk[b]) * WB + j < 32'(nbits);
        a  = pa_w[lk[b]][j];
        bb = pb_w[lk[b]][j];
        pa = binary ? (post_a & a) : ~(post_a ^ a);
        pb = binary ? (post_b & bb) : ~(post_b ^ bb);
        up = valid & pa & ~pb;
        down = valid & pb & ~pa;
        inc = beta_pos ? up : down;
        dec = beta_pos ? down : up;
        touched = leak != 0 ? valid : (inc | dec);
        hi = (16'sd1 <<< (32'(cbits) - 1)) - 16'sd1;
        lo = -(16'sd1 <<< (32'(cbits) - 1));
        h = h0;
        if (leak != 0) begin
          mag = h0 >= 0 ? h0 : -h0;
          lk_amt = mag >>> leak;
          h = h0 >= 0 ? h0 - lk_amt : h0 + lk_amt;
        end
        h = h + 16'(inc) - 16'(dec);
        sat_m[b][j] = touched && (h > hi || h < lo);
        if (h > hi) h = hi;
        if (h < lo) h = lo;
        if (!touched) h = h0;
        wbit = buff[32'(lk[b]) * (1 + CBM)][j];
        if (touched && h > $signed({8'd0, theta})) wbit = 1'b1;
        else if (touched && h < -$signed({8'd0, theta})) wbit = 1'b0;
        new_w[b][j] = wbit;
        chg_m[b][j] = h != h0;
        for (int p = 0; p < CBM; p++) new_pl[b][p][j] = p < 32'(cbits) ? h[p] : buff[32'(lk[b]) * (1 + CBM) + 1 + p][j];
      end
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      reading <= 1'b0;
      writing <= 1'b0;
      left <= '0;
      k0 <= '0;
      q0 <= '0;
      changed <= '0;
      flipped <= '0;
      saturated <= '0;
    end else begin
      if (pre_we) begin
        pa_w[pre_addr] <= pre_a;
        pb_w[pre_addr] <= pre_b;
      end
      if (mem_we) mem[mem_addr] <= mem_wdata;
      if (start && !busy) begin
        reading <= 1'b1;
        left <= total;
        k0 <= '0;
        q0 <= '0;
        changed <= '0;
        flipped <= '0;
        saturated <= '0;
      end else if (reading || writing) begin
        for (int b = 0; b < BANKS; b++) begin
          if (SW'(b) < left) begin
            if (reading) buff[32'(lk[b]) * (1 + CBM) + 32'(lq[b])] <= mem[32'(lk[b]) * (1 + CBM) + 32'(lq[b])];
            else begin
              mem[32'(lk[b]) * (1 + CBM) + 32'(lq[b])] <= lq[b] == 0 ? new_w[b] : new_pl[b][lq[b] - 1];
            end
          end
        end
        if (writing) begin
          // Each word's weight write (q = 0) counts its changed counters and flipped weights.
          logic [31:0] nc, nf, ns;
          nc = changed;
          nf = flipped;
          ns = saturated;
          for (int b = 0; b < BANKS; b++) begin
            if (SW'(b) < left && lq[b] == 0) begin
              nc = nc + $countones(chg_m[b]);
              nf = nf + $countones(new_w[b] ^ buff[32'(lk[b]) * (1 + CBM)]);
              ns = ns + $countones(sat_m[b]);
            end
          end
          changed <= nc;
          flipped <= nf;
          saturated <= ns;
        end
        if (left <= SW'(BANKS)) begin
          // Pass ends: reading -> writing, writing -> done.
          k0 <= '0;
          q0 <= '0;
          if (reading) begin
            reading <= 1'b0;
            writing <= 1'b1;
            left <= total;
          end else begin
            writing <= 1'b0;
            left <= '0;
          end
        end else begin
          left <= left - SW'(BANKS);
          k0 <= nk;
          q0 <= nq;
        end
      end
    end
  end
  assign done = writing && left <= SW'(BANKS);  // the last write cycle
endmodule
