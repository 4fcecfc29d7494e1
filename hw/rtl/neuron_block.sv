// neuron_block: the arithmetic of one row's commit (src/learning/neuron-block.ts, step()).
// Timing rule: combinational, evaluated in the row's commit cycle C_i from the popcount
// accumulators of its words; the state register takes the result when the row leaves the
// commit stage. With n = fan-in bits of a segment and the word popcounts summed over the row:
//   dot   = 2 * popcount(w AND x) - popcount(x)    (binary {0,1} encoding)
//         = n - 2 * popcount(w XOR x)              (spin +-1 encoding)
//   P = sat_A(kFwd * dotF); P = sat_A(P + kBwd * dotB); P = sat_A(P + bias); P = sat_A(P + offset)
//   D = sat_A(P - S) >>> stateShift;  S' = clip(S + D, 0, 2^stateBits - 1);  spike = S' >= 2^(stateBits-1)
// sat_A saturates to the signed ACC_BITS accumulator (core.accumulatorBits). The output
// layer's nudge term is not part of this model yet.
module neuron_block #(
    parameter int ACC_BITS   = 16,
    parameter int STATE_BITS = 8,
    parameter int BIAS_BITS  = 8,
    parameter int CNT        = 16
) (
    input  logic                  binary,
    input  logic [CNT-1:0]        n_prev,
    input  logic [CNT-1:0]        n_next,
    input  logic signed [7:0]     k_fwd,
    input  logic signed [7:0]     k_bwd,
    input  logic signed [15:0]    offset,
    input  logic [4:0]            state_shift,
    input  logic [CNT-1:0]        and_f,
    input  logic [CNT-1:0]        x_f,
    input  logic [CNT-1:0]        xor_f,
    input  logic [CNT-1:0]        and_b,
    input  logic [CNT-1:0]        x_b,
    input  logic [CNT-1:0]        xor_b,
    input  logic signed [BIAS_BITS-1:0] bias,
    input  logic [STATE_BITS-1:0] state,
    output logic signed [31:0]    dot_f,
    output logic signed [31:0]    dot_b,
    output logic signed [31:0]    acc,
    output logic [STATE_BITS-1:0] state_next,
    output logic                  spike
);
  localparam logic signed [47:0] HI = (48'sd1 <<< (ACC_BITS - 1)) - 48'sd1;
  localparam logic signed [47:0] LO = -(48'sd1 <<< (ACC_BITS - 1));
  localparam logic signed [47:0] SMAX = (48'sd1 <<< STATE_BITS) - 48'sd1;

  function automatic logic signed [47:0] sat(input logic signed [47:0] v);
    sat = v > HI ? HI : v < LO ? LO : v;
  endfunction

  logic signed [47:0] p, d, s, ns;
  always_comb begin
    if (binary) begin
      dot_f = 32'(2 * $signed(32'(and_f)) - $signed(32'(x_f)));
      dot_b = 32'(2 * $signed(32'(and_b)) - $signed(32'(x_b)));
    end else begin
      dot_f = 32'($signed(32'(n_prev)) - 2 * $signed(32'(xor_f)));
      dot_b = 32'($signed(32'(n_next)) - 2 * $signed(32'(xor_b)));
    end
    s = 48'(state);
    p = sat(48'(k_fwd) * 48'(dot_f));
    p = sat(p + 48'(k_bwd) * 48'(dot_b));
    p = sat(p + 48'(bias));
    p = sat(p + 48'(offset));
    d = sat(p - s);
    acc = 32'(d);
    ns = s + (d >>> state_shift);
    if (ns < 0) ns = 0;
    if (ns > SMAX) ns = SMAX;
    state_next = STATE_BITS'(ns);
    spike = state_next[STATE_BITS-1];
  end
endmodule
