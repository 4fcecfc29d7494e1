// io_port: the injection side of the I/O port (src/chip/io-port.ts; lanes: src/chip/noc/mesh.ts).
// Timing rule: at most one flit per lane per cycle; the offered flits (the first `offered`
// of in_flit, in order) take the lanes that hold a credit, round-robin from the lane after
// the last one used; a flit taken in cycle c is in the lane's router buffer at c + 1.
// docs/timing-model.md, "I/O port".
module io_port #(
    parameter int LANES = 1,
    parameter int FW    = 8,
    parameter int NW    = $clog2(LANES + 1),
    parameter int LW    = LANES > 1 ? $clog2(LANES) : 1
) (
    input  logic                     clk,
    input  logic                     rst,
    input  logic [NW-1:0]            offered,
    input  logic [LANES-1:0][FW-1:0] in_flit,
    output logic [NW-1:0]            taken,
    input  logic [LANES-1:0]         lane_ready,
    output logic [LANES-1:0]         lane_valid,
    output logic [LANES-1:0][FW-1:0] lane_flit
);
  logic [LW-1:0] next_lane, last;
  logic any;
  always_comb begin
    lane_valid = '0;
    lane_flit  = '0;
    taken      = '0;
    any        = 1'b0;
    last       = '0;
    for (int k = 0; k < LANES; k++) begin
      int i;
      i = int'(next_lane) + k;
      if (i >= LANES) i = i - LANES;
      if (lane_ready[i] && taken < offered) begin
        lane_valid[i] = 1'b1;
        lane_flit[i]  = in_flit[taken];
        taken         = taken + 1'b1;
        any           = 1'b1;
        last          = LW'(i);
      end
    end
  end
  always_ff @(posedge clk) begin
    if (rst) next_lane <= '0;
    else if (any) next_lane <= (last == LW'(LANES - 1)) ? '0 : last + 1'b1;
  end
endmodule
