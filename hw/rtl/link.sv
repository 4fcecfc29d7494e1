// link: a point-to-point, pipelined router-to-router link (one flit may enter per cycle).
// Timing rule: a flit leaving the sender's output stage in cycle c is written into the
// receiver's input buffer LINK_DELAY - 1 cycles later, so it is in that buffer at
// c + linkDelay = g + routerDelay + linkDelay for a grant at g. docs/timing-model.md,
// "Links and credits".
module link #(
    parameter int FW         = 8,
    parameter int LINK_DELAY = 1
) (
    input  logic          clk,
    input  logic          rst,
    input  logic          in_valid,
    input  logic [FW-1:0] in_flit,
    output logic          out_valid,
    output logic [FW-1:0] out_flit
);
  pipe #(.WIDTH(1 + FW), .STAGES(LINK_DELAY - 1)) wire_stages (
      .clk, .rst, .d({in_valid, in_flit}), .q({out_valid, out_flit}));
endmodule
